/** Where a form field's answer lives in a chat request. Kept apart from forms.ts (zod) so the Qwidget can use it. */
export function requestFieldPath(field: { id: string }): string {
  return field.id === "name" || field.id === "email" ? field.id : `fields.${field.id}`;
}
