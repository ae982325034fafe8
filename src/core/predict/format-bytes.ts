const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
const STEP = 1024;

/**
 * A memory size as people read it: `512B`, `71MB`, `615MB`, `6.2GB`. Binary steps (1 GB = 2^30
 * bytes, as `free` and /proc count memory); gigabytes and above keep one decimal, smaller units
 * none. `?` for a negative or non-finite size.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (unit < UNITS.length - 1 && Math.round(value) >= 1000) {
    value /= STEP;
    unit++;
  }
  const decimals = unit >= 3 ? 1 : 0;
  return `${value.toFixed(decimals)}${UNITS[unit]}`;
}
