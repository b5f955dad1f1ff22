/** `owlet serve`: a web page and an HTTP API for an exported image classifier. */
export { startServe, type ServeServer, type ServeInfo } from './server.js';
export { defaultServeThreads, resolveServeOptions, type ServeOptions } from './options.js';
export { DynamicBatcher, QueueFullError, type BatcherOptions, type BatcherStats } from './batcher.js';
export { Predictor, type PredictorOptions } from './predictor.js';
export { checkImage } from './image-check.js';
export { toLabel, type LabelOutput } from './label.js';
export { HttpError } from './errors.js';
