/** libtorch's memory formats (how a tensor's strides lay out its dimensions), named for TypeScript. */

/** Memory formats, numbered as libtorch numbers them. */
export type MemoryFormat = 'contiguous' | 'preserve' | 'channelsLast' | 'channelsLast3d';

const MEMORY_FORMATS: Record<MemoryFormat, number> = { contiguous: 0, preserve: 1, channelsLast: 2, channelsLast3d: 3 };

export function memoryFormatCode(f: MemoryFormat): number {
  const code = MEMORY_FORMATS[f];
  if (code === undefined) throw new TypeError(`unknown memory format '${String(f)}': use ${Object.keys(MEMORY_FORMATS).join(', ')}`);
  return code;
}
