/**
 * safetensors: Hugging Face's format for tensors (https://github.com/huggingface/safetensors).
 *
 * A file is an 8-byte little-endian header length N, N bytes of JSON (an object naming each tensor's
 * `dtype`, `shape` and `data_offsets`, with an optional `__metadata__` of string -> string), then the
 * data section, which the tensors tile exactly. Everything in the header is checked before a byte of
 * data is trusted: a truncated, altered or foreign file gives a `SafetensorsError` naming the file and
 * what is wrong, never a crash or a silently wrong tensor.
 *
 * Reading from a file goes straight from disk into libtorch's memory (no copy in JavaScript);
 * reading from a buffer copies each tensor once into libtorch. Writing follows the reference (Rust)
 * implementation byte for byte: tensors ordered by dtype alignment, largest first, then by name;
 * the header padded with spaces to a multiple of 8 bytes, so every tensor's data is aligned.
 *
 * The parts: safetensors-format.ts (dtypes, the error, the types), safetensors-header.ts (checking
 * a header), safetensors-read.ts and safetensors-write.ts.
 */
export {
  MAX_HEADER_BYTES, SafetensorsError,
  type SafetensorsEntry, type SafetensorsHeader, type SafetensorsContents, type ReadOptions, type TensorDict,
} from './safetensors-format.js';
export { readSafetensors, readSafetensorsHeader, loadSafetensorsFile, internals } from './safetensors-read.js';
export { serializeSafetensors, saveSafetensors } from './safetensors-write.js';
