/** A problem with a whole form or view, announced the moment it appears (role="alert"); nothing while there is none. */
export function ErrorLine({ message, id }: { message: string | null | undefined; id?: string }) {
  return message ? (
    <p class="form-error" role="alert" id={id}>
      {message}
    </p>
  ) : null;
}
