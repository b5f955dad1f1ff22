/** The Hugging Face hub: downloads into (and reads from) the cache Python's huggingface_hub uses. */
export { hfHubDownload, HubDownloadError, type HfHubDownloadOptions, type HubErrorKind } from './download.js';
export {
  hubCacheDir, hubEndpoint, hubUrl, repoFolderName, repoCacheDir, tryLoadFromCache, type RepoType,
} from './cache.js';
