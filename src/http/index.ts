/** Small HTTP helpers on node:http, shared by `owlet explore` and `owlet serve`; they import no other part of owlet. */
export { sendError, sendJson } from './json.js';
export { listen } from './listen.js';
export { CONTENT_TYPES, loadStaticFiles, staticDirOf, type StaticFile } from './static-files.js';
