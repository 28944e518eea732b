/** The bench's one table and its targets (ratios measured in the same run, never asserted). */

export type Row = {
  scenario: string;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  peakRssMiB?: number;
  vsFloor?: number;
  vsExpress?: number;
  errors?: number;
  note?: string;
};

export type Target = { target: string; wanted: string; measured: string; met: boolean | null };

export function checkTarget(
  target: string,
  wanted: string,
  value: number | undefined,
  isMet: (value: number) => boolean,
  format: (value: number) => string,
): Target {
  if (value === undefined || !Number.isFinite(value)) {
    return { target, wanted, measured: 'not measured', met: null };
  }
  return { target, wanted, measured: format(value), met: isMet(value) };
}

export function formatTable(rows: Row[], targets: Target[]): string {
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'peak MiB',
    'vs floor',
    'vs express',
    'note',
  ];
  const lines = rows.map((row) => [
    row.scenario,
    fixed(row.requestsPerSecond, 0),
    fixed(row.p50Ms, 2),
    fixed(row.p99Ms, 2),
    fixed(row.peakRssMiB, 1),
    ratio(row.vsFloor),
    ratio(row.vsExpress),
    [row.errors ? `${row.errors} errors` : '', row.note ?? ''].filter(Boolean).join('; '),
  ]);
  for (const target of targets) {
    const status = target.met === null ? 'not measured' : target.met ? 'MET' : 'MISSED';
    lines.push([
      `target: ${target.target}`,
      '',
      '',
      '',
      '',
      '',
      '',
      `${status}: ${target.measured} (wanted ${target.wanted})`,
    ]);
  }
  const widths = header.map((name, column) =>
    Math.max(name.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const render = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    render(header),
    render(widths.map((width) => '-'.repeat(width))),
    ...lines.map(render),
  ].join('\n');
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);
}

function ratio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : `${value.toFixed(2)}x`;
}
