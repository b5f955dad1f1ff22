/** `owlet explore`: the lesson's quadratic and ReLUs to play with in the browser. */
export { startExplore, type ExploreOptions, type ExploreServer } from './server.js';
export { getRoutes, postRoutes, LIMITS } from './api.js';
export { quadSteps, quadLoss, reluInit, reluSteps, LOSS_LIMIT, PARAM_LIMIT, type StepResult, type Quadratic, type Relus } from './train.js';
export { noisyData, type Points } from './lesson.js';
