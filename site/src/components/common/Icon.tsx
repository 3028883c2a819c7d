/** A few stroke icons as inline SVG (system emoji fonts are not everywhere). */
const paths = {
  play: 'M7 4.5v15l12-7.5z',
  pause: 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z',
  reset: 'M4.5 12a7.5 7.5 0 1 0 2.2-5.3M4.5 4v4.5H9',
  prev: 'M6 5v14M18 5 9 12l9 7z',
  next: 'M18 5v14M6 5l9 7-9 7z',
  grip: 'M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01',
  close: 'M6 6l12 12M18 6 6 18',
  edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  clock: 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 13V9M9.5 2.5h5',
} as const;

const filled = new Set<keyof typeof paths>(['play', 'pause', 'prev', 'next']);

export function Icon({ name, size = '1em' }: { name: keyof typeof paths; size?: string }) {
  const fill = filled.has(name);
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill={fill ? 'currentColor' : 'none'}
      stroke="currentColor"
      stroke-width={name === 'grip' ? 3.2 : fill ? 1.2 : 2.2}
      stroke-linecap="round"
      stroke-linejoin="round"
      class="kt-icon"
    >
      <path d={paths[name]} />
    </svg>
  );
}
