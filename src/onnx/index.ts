/**
 * ONNX export from owlet's module tree (export.ts), one converter per module class (registry.ts,
 * converters/). Importing this module lets `learn.exportOnnx` write ONNX; owlet's index imports it.
 */
import { registerOnnxExporter } from '../learner/index.js';
import { exportLearnerOnnx } from './export.js';

export { modelToOnnx, learnerToOnnx, exportLearnerOnnx, onnxMetadata, pipelineInputSize, ONNX_OPSET, ONNX_IR_VERSION, type ModelToOnnxOptions } from './export.js';
export { registerConverter, convertModule, ConvertContext, OnnxExportError, type Emit } from './registry.js';
export { OnnxGraph, int, float, ints, floats, str, type Attr, type Dim } from './graph.js';
export { exportWeb, ortWebDist, webPageDir, ORT_WEB_FILES, type ExportWebResult } from './export-web.js';

registerOnnxExporter(exportLearnerOnnx);
