/** What an administrator copies for a form: its hosted URL and the one-line Qwidget embed. */

export function hostedFormUrl(origin: string, formId: string): string {
  return `${origin}/f/${formId}`;
}

export function qwidgetSnippet(origin: string, formId: string): string {
  return `<script src="${origin}/qwidget.js" data-refdesk-form="${formId}" async></script>`;
}
