/**
 * The one data table of the front ends: a caption for screen readers (sighted
 * readers have the heading above it), column headers with scope, optionally a
 * column whose cells name their row (row headers), and optionally a row that
 * says why there are no rows. A table wider than a phone can sit in a
 * focusable, named scroll region, so keyboard users can scroll it too.
 */
import type { ComponentChildren } from "preact";

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  /** This column's cells name their row: `<th scope="row">`, so a screen reader announces them with each cell. */
  rowHeader?: boolean;
  class?: string;
}

export interface DataTableProps<Row> {
  /** What the table lists (visually hidden). */
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  /** The table's look (each front end styles its own tables). */
  class: string;
  rowClass?: (row: Row) => string | undefined;
  /** Shown in a row of its own when there are no rows. */
  empty?: ComponentChildren;
  /** Wraps the table in a focusable scroll region, named by these attributes. */
  scroll?: { "aria-label": string } | { "aria-labelledby": string };
}

export function DataTable<Row>({ caption, columns, rows, rowKey, class: className, rowClass, empty, scroll }: DataTableProps<Row>) {
  const table = (
    <table class={className}>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col">{c.header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} class={rowClass?.(row)}>
            {columns.map((c) => {
              const Cell = c.rowHeader ? "th" : "td";
              return (
                <Cell scope={c.rowHeader ? "row" : undefined} class={c.class}>
                  {c.cell(row)}
                </Cell>
              );
            })}
          </tr>
        ))}
        {rows.length || !empty ? null : (
          <tr>
            <td colSpan={columns.length}>{empty}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
  return scroll ? (
    <div class="table-scroll" tabIndex={0} role="region" {...scroll}>
      {table}
    </div>
  ) : (
    table
  );
}
