/** owlet: deep learning for TypeScript in the fastai style, on libtorch. */
export * from './engine/index.js';
export * from './io/index.js';
export * from './hub/index.js';
export * as nn from './nn/index.js';
export * from './models/index.js';
