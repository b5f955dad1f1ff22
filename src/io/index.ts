/** Reading and writing tensors in files. */
export {
  readSafetensors, readSafetensorsHeader, loadSafetensorsFile, saveSafetensors, serializeSafetensors,
  SafetensorsError, MAX_HEADER_BYTES,
  type SafetensorsContents, type SafetensorsEntry, type SafetensorsHeader, type ReadOptions, type TensorDict,
} from './safetensors.js';
