// What native/distributed.cc (PyTorch's c10d from Node-API) and native/owlet.cc share: owlet's tensor
// handles, and the function that adds the distributed bindings to the addon's exports.
#pragma once

#include <node_api.h>
#include <ATen/ATen.h>

namespace owlet {

// The tensor a JavaScript tensor handle holds; throws std::runtime_error naming `what` when it is not one.
at::Tensor tensorArg(napi_env env, napi_value v, const char* what);
// A new JavaScript tensor handle for `t`.
napi_value tensorValue(napi_env env, at::Tensor t);
// Adds dist* functions to the exports (native/distributed.cc).
void defineDistributed(napi_env env, napi_value exports);

}  // namespace owlet
