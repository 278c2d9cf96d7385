// Service colours: a fixed palette keyed by service index, mid-tones that read on light and dark themes.

const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#8cd17d',
  '#499894', '#d37295', '#a0cbe8', '#ffbe7d', '#b6992d', '#86bcb6', '#f1ce63', '#d4a6c8', '#79706e', '#fabfd2',
] as const;

export function serviceColor(serviceIndex: number): string {
  return PALETTE[serviceIndex % PALETTE.length];
}
