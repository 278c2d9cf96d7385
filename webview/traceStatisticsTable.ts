// Jaeger-style trace statistics: time per service and operation, computed on first show and sortable by
// any column. Service and operation names come from the trace, so they go in as text only.
import type { ColumnarTrace } from '../src/core/layout/columnarTrace';
import { computeTraceStatistics, type TraceStatisticsRow } from '../src/core/layout/traceStatistics';
import { formatDurationNano } from '../src/core/model/time';
import { createElement } from './dom';

interface Column {
  readonly key: keyof TraceStatisticsRow;
  readonly title: string;
  readonly format: (row: TraceStatisticsRow) => string;
}

const duration = (key: keyof TraceStatisticsRow): ((row: TraceStatisticsRow) => string) => (row) => formatDurationNano(Number(row[key]));

const COLUMNS: readonly Column[] = [
  { key: 'service', title: 'Service', format: (row) => row.service },
  { key: 'operation', title: 'Operation', format: (row) => row.operation },
  { key: 'count', title: 'Count', format: (row) => row.count.toLocaleString('en-US') },
  { key: 'totalNano', title: 'Total', format: duration('totalNano') },
  { key: 'avgNano', title: 'Avg', format: duration('avgNano') },
  { key: 'minNano', title: 'Min', format: duration('minNano') },
  { key: 'maxNano', title: 'Max', format: duration('maxNano') },
  { key: 'selfTotalNano', title: 'Self total', format: duration('selfTotalNano') },
  { key: 'selfAvgNano', title: 'Self avg', format: duration('selfAvgNano') },
  { key: 'selfMinNano', title: 'Self min', format: duration('selfMinNano') },
  { key: 'selfMaxNano', title: 'Self max', format: duration('selfMaxNano') },
  { key: 'selfPercentOfTrace', title: '% of trace', format: (row) => `${row.selfPercentOfTrace.toFixed(2)}%` },
];

export class TraceStatisticsTable {
  readonly element = createElement('section', 'trace-statistics');
  private rows: TraceStatisticsRow[] | undefined;
  private readonly body = createElement('tbody');
  private readonly headers: HTMLElement[] = [];
  private sortKey: keyof TraceStatisticsRow | undefined;
  private descending = true;

  constructor(private readonly trace: ColumnarTrace) {
    this.element.setAttribute('aria-label', 'Trace statistics');
    this.element.hidden = true;
  }

  /** Builds the table the first time it is shown. */
  show(shown: boolean): void {
    this.element.hidden = !shown;
    if (!shown || this.rows !== undefined) return;
    this.rows = computeTraceStatistics(this.trace);
    const table = createElement('table', 'statistics-table');
    const headRow = createElement('tr');
    for (const column of COLUMNS) {
      const header = createElement('th');
      header.scope = 'col';
      header.dataset.column = column.key;
      const button = createElement('button', 'sort-button', column.title);
      button.type = 'button';
      button.addEventListener('click', () => this.sortBy(column.key));
      header.append(button);
      this.headers.push(header);
      headRow.append(header);
    }
    const head = createElement('thead');
    head.append(headRow);
    table.append(head, this.body);
    this.element.replaceChildren(table);
    this.renderRows();
  }

  /** Sorts by `key`, most first for numbers and A to Z for text; the same key again reverses. */
  private sortBy(key: keyof TraceStatisticsRow): void {
    const rows = this.rows;
    if (rows === undefined) return;
    const text = key === 'service' || key === 'operation';
    this.descending = this.sortKey === key ? !this.descending : !text;
    this.sortKey = key;
    const sign = this.descending ? -1 : 1;
    rows.sort((a, b) => {
      const left = a[key];
      const right = b[key];
      const order = typeof left === 'number' && typeof right === 'number' ? left - right : String(left) < String(right) ? -1 : String(left) > String(right) ? 1 : 0;
      return sign * order;
    });
    for (const header of this.headers) {
      if (header.dataset.column === key) header.setAttribute('aria-sort', this.descending ? 'descending' : 'ascending');
      else header.removeAttribute('aria-sort');
    }
    this.renderRows();
  }

  private renderRows(): void {
    const rows = this.rows ?? [];
    this.body.replaceChildren(
      ...rows.map((row) => {
        const tr = createElement('tr');
        for (const column of COLUMNS) {
          const cell = createElement('td', `stat-${column.key}`, column.format(row));
          if (column.key === 'service' || column.key === 'operation') cell.title = cell.textContent ?? '';
          tr.append(cell);
        }
        return tr;
      }),
    );
  }
}
