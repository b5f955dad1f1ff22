// owlet's distributed layer: PyTorch's own c10d (TCPStore or FileStore, ProcessGroupGloo) reached from
// Node-API, so that owlet processes and PyTorch processes can share one process group.
//
// The group is made as torch.distributed.init_process_group makes its default group: the store is
// wrapped in PrefixStore("default_pg") then PrefixStore("0"), and the store-based barrier at the end
// uses the same key, so a PyTorch rank and an owlet rank rendezvous with each other. Under torchrun
// (TORCHELASTIC_USE_AGENT_STORE=True) every rank is a client of the agent's store, under the
// "/worker/attempt_<n>" prefix, as torch's rendezvous does.
//
// The gradient reducer is DDP's idea written again (reducer.hpp needs headers Debian does not ship):
// parameters in reverse order, in buckets of about `bucketCap` bytes (the first one 1 MiB); a hook
// after each parameter's gradient accumulation marks it ready, and a bucket whose gradients are all
// ready is copied into one flat tensor and all-reduced asynchronously while backward goes on. Buckets
// are launched in order on every rank (Gloo matches collectives by order).
//
// Faults: every rank publishes, from a thread, a heartbeat counter and the number of collectives it
// has entered to the store. When a collective fails or times out, the rank reads them to say which
// rank stopped (no heartbeat: it died or was stopped) or lags behind (it hangs).
#define NAPI_EXPERIMENTAL
#include "distributed.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/variable.h>

#ifdef OWLET_DISTRIBUTED
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Err = std::runtime_error;

// ---------------------------------------------------------------------------------------------
// Node-API helpers

#define CHECK_NAPI(call) \
  do {                   \
    if ((call) != napi_ok) throw Err("Node-API call failed: " #call); \
  } while (0)

constexpr size_t kMaxArgs = 4;

struct Args {
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  Args(napi_env env, napi_callback_info info) { CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr)); }
  napi_value operator[](size_t i) const { return argv[i]; }
};

double num(napi_env env, napi_value v, const char* what) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw Err(std::string("expected a number for ") + what);
  return d;
}

std::string str(napi_env env, napi_value v, const char* what) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) throw Err(std::string("expected a string for ") + what);
  std::string s(len, '\0');
  CHECK_NAPI(napi_get_value_string_utf8(env, v, &s[0], len + 1, &len));
  return s;
}

napi_value prop(napi_env env, napi_value obj, const char* key) {
  napi_value v;
  CHECK_NAPI(napi_get_named_property(env, obj, key, &v));
  return v;
}

std::vector<at::Tensor> tensorList(napi_env env, napi_value v, const char* what) {
  bool isArray = false;
  napi_is_array(env, v, &isArray);
  if (!isArray) throw Err(std::string("expected an array of tensors for ") + what);
  uint32_t n;
  CHECK_NAPI(napi_get_array_length(env, v, &n));
  std::vector<at::Tensor> out;
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    CHECK_NAPI(napi_get_element(env, v, i, &item));
    out.push_back(owlet::tensorArg(env, item, what));
  }
  return out;
}

napi_value jsNum(napi_env env, double d) {
  napi_value v;
  CHECK_NAPI(napi_create_double(env, d, &v));
  return v;
}

napi_value jsBool(napi_env env, bool b) {
  napi_value v;
  CHECK_NAPI(napi_get_boolean(env, b, &v));
  return v;
}

napi_value jsUndef(napi_env env) {
  napi_value v;
  CHECK_NAPI(napi_get_undefined(env, &v));
  return v;
}

void setNum(napi_env env, napi_value obj, const char* key, double d) {
  CHECK_NAPI(napi_set_named_property(env, obj, key, jsNum(env, d)));
}

template <typename F>
napi_value guarded(napi_env env, const char* what, F&& f) {
  std::string msg;
  try {
    return f();
  } catch (const c10::Error& e) {
    msg = e.what_without_backtrace();
  } catch (const std::exception& e) {
    msg = e.what();
  } catch (...) {
    msg = "unknown C++ exception";
  }
  auto pos = msg.find("\nException raised from");
  if (pos != std::string::npos) msg = msg.substr(0, pos);
  napi_throw_error(env, nullptr, (std::string(what) + ": " + msg).c_str());
  return nullptr;
}

#define FN(name) napi_value name(napi_env env, napi_callback_info info)

FN(Available) {
#ifdef OWLET_DISTRIBUTED
  return jsBool(env, true);
#else
  return jsBool(env, false);
#endif
}

#ifdef OWLET_DISTRIBUTED

// ---------------------------------------------------------------------------------------------
// The process group

using Clock = std::chrono::steady_clock;

struct Group {
  c10::intrusive_ptr<c10d::Store> store;      // torch's "default_pg" store (the barrier's)
  c10::intrusive_ptr<c10d::Store> owletStore;  // heartbeats
  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;
  std::string where;  // the store's address, for messages
  int rank = 0;
  int world = 1;
  std::chrono::milliseconds timeout{1800000};
  std::atomic<int64_t> seq{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> storeLost{false};
  std::thread heartbeat;
};

// Held by raw pointers that are never freed at exit: the heartbeat thread and Gloo's threads would
// outlive a static destructor. destroyProcessGroup() frees the group.
Group* gGroup = nullptr;
constexpr int kBeatMs = 200;

Group& group(const char* what) {
  if (!gGroup) throw Err(std::string("no process group: call initProcessGroup() before ") + what);
  return *gGroup;
}

void startHeartbeat(Group& g) {
  g.heartbeat = std::thread([&g]() {
    int64_t beat = 0;
    std::string key = "hb/" + std::to_string(g.rank);
    while (!g.stop.load()) {
      try {
        std::string v = std::to_string(++beat) + " " + std::to_string(g.seq.load());
        g.owletStore->set(key, std::vector<uint8_t>(v.begin(), v.end()));
      } catch (...) {
        g.storeLost = true;
      }
      for (int i = 0; i < kBeatMs / 20 && !g.stop.load(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

struct Beat {
  int64_t beat = -1;
  int64_t seq = -1;
};

std::vector<Beat> readBeats(Group& g) {
  std::vector<Beat> out(g.world);
  for (int r = 0; r < g.world; r++) {
    std::string key = "hb/" + std::to_string(r);
    if (!g.owletStore->check({key})) continue;
    auto v = g.owletStore->get(key);
    std::istringstream in(std::string(v.begin(), v.end()));
    in >> out[r].beat >> out[r].seq;
  }
  return out;
}

// Which rank made a collective fail: read after a failure, on the failing rank.
std::string diagnose(Group& g, int64_t mySeq) {
  std::ostringstream msg;
  try {
    auto first = readBeats(g);
    std::this_thread::sleep_for(std::chrono::milliseconds(kBeatMs * 6));
    auto second = readBeats(g);
    std::vector<int> dead, behind, silent;
    for (int r = 0; r < g.world; r++) {
      if (r == g.rank) continue;
      if (second[r].beat < 0) silent.push_back(r);
      else if (second[r].beat <= first[r].beat) dead.push_back(r);
      else if (second[r].seq < mySeq) behind.push_back(r);
    }
    for (int r : dead)
      msg << "rank " << r << " stopped responding (no heartbeat for " << kBeatMs * 6 / 1000.0 << " s): it died or was stopped. ";
    for (int r : behind)
      msg << "rank " << r << " is running but has not reached collective #" << mySeq << " (it is at #" << second[r].seq
          << "): it hangs, or runs different code. ";
    for (int r : silent)
      msg << "rank " << r << " publishes no heartbeat (not an owlet process, e.g. a PyTorch one): whether it is alive cannot be told. ";
    if (dead.empty() && behind.empty() && silent.empty()) msg << "every other rank is alive and has reached this collective. ";
  } catch (...) {
    msg << "the store at " << g.where << " cannot be reached: the process hosting it ("
        << "rank 0, or torchrun's agent) has stopped. ";
  }
  return msg.str();
}

// Waits for a collective; on failure, names the rank at fault.
void waitWork(Group& g, const c10::intrusive_ptr<c10d::Work>& work, int64_t mySeq, const char* what) {
  try {
    work->wait();
  } catch (const std::exception& e) {
    std::string cause = e.what();
    auto pos = cause.find("\nException raised from");
    if (pos != std::string::npos) cause = cause.substr(0, pos);
    throw Err(std::string(what) + " failed on rank " + std::to_string(g.rank) + ": " + diagnose(g, mySeq) + "(Gloo: " + cause +
              ")");
  }
}

std::chrono::milliseconds ms(double v) { return std::chrono::milliseconds(static_cast<int64_t>(v)); }

void storeBarrier(Group& g) {
  // torch.distributed's _store_based_barrier after init_process_group, same key
  const std::string key = "store_based_barrier_key:1";
  g.store->add(key, 1);
  auto start = Clock::now();
  while (g.store->add(key, 0) != g.world) {
    if (Clock::now() - start > g.timeout)
      throw Err("timed out after " + std::to_string(g.timeout.count() / 1000) + " s waiting for all " + std::to_string(g.world) +
                " ranks to join the group at " + g.where + " (" + std::to_string(g.store->add(key, 0)) + " joined)");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// distInit({kind: 'tcp'|'file', host, port, path, rank, worldSize, timeoutMs, isServer, prefix})
FN(Init) {
  return guarded(env, "initProcessGroup", [&]() -> napi_value {
    Args a(env, info);
    if (gGroup) throw Err("a process group is already initialised: call destroyProcessGroup() first");
    auto g = std::make_unique<Group>();
    napi_value o = a[0];
    std::string kind = str(env, prop(env, o, "kind"), "kind");
    g->rank = static_cast<int>(num(env, prop(env, o, "rank"), "rank"));
    g->world = static_cast<int>(num(env, prop(env, o, "worldSize"), "worldSize"));
    g->timeout = ms(num(env, prop(env, o, "timeoutMs"), "timeoutMs"));
    std::string prefix = str(env, prop(env, o, "prefix"), "prefix");
    c10::intrusive_ptr<c10d::Store> base;
    if (kind == "tcp") {
      std::string host = str(env, prop(env, o, "host"), "host");
      int port = static_cast<int>(num(env, prop(env, o, "port"), "port"));
      bool server = false;
      napi_get_value_bool(env, prop(env, o, "isServer"), &server);
      c10d::TCPStoreOptions opts;
      opts.port = static_cast<uint16_t>(port);
      opts.isServer = server;
      opts.numWorkers = g->world;
      opts.timeout = g->timeout;
      opts.multiTenant = true;
      g->where = host + ":" + std::to_string(port);
      base = c10::make_intrusive<c10d::TCPStore>(host, opts);
    } else if (kind == "file") {
      std::string path = str(env, prop(env, o, "path"), "path");
      g->where = path;
      base = c10::make_intrusive<c10d::FileStore>(path, g->world);
      base->setTimeout(g->timeout);
    } else {
      throw Err("unknown store kind " + kind);
    }
    if (!prefix.empty()) base = c10::make_intrusive<c10d::PrefixStore>(prefix, base);
    g->store = c10::make_intrusive<c10d::PrefixStore>("default_pg", base);
    g->owletStore = c10::make_intrusive<c10d::PrefixStore>("owlet", base);
    auto pgStore = c10::make_intrusive<c10d::PrefixStore>("0", g->store);
    auto options = c10d::ProcessGroupGloo::Options::create(g->timeout);
    const char* ifname = std::getenv("GLOO_SOCKET_IFNAME");
    if (ifname && *ifname) {
      std::istringstream names(ifname);
      std::string name;
      while (std::getline(names, name, ','))
        if (!name.empty()) options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    options->threads = static_cast<int>(options->devices.size()) * 2;
    g->pg = c10::make_intrusive<c10d::ProcessGroupGloo>(pgStore, g->rank, g->world, options);
    storeBarrier(*g);
    g->pg->setSequenceNumberForGroup();  // as init_process_group does after its barrier: rank 0 sets it, the others read it
    startHeartbeat(*g);
    gGroup = g.release();
    return jsUndef(env);
  });
}

void destroyGroup() {
  if (!gGroup) return;
  gGroup->stop = true;
  if (gGroup->heartbeat.joinable()) gGroup->heartbeat.join();
  delete gGroup;
  gGroup = nullptr;
}

FN(Destroy) {
  return guarded(env, "destroyProcessGroup", [&]() -> napi_value {
    destroyGroup();
    return jsUndef(env);
  });
}

FN(IsInitialized) { return jsBool(env, gGroup != nullptr); }

c10d::ReduceOp reduceOp(const std::string& op) {
  if (op == "sum" || op == "avg") return c10d::ReduceOp::SUM;
  if (op == "max") return c10d::ReduceOp::MAX;
  if (op == "min") return c10d::ReduceOp::MIN;
  if (op == "product") return c10d::ReduceOp::PRODUCT;
  throw Err("unknown reduce op '" + op + "': use 'sum', 'avg', 'max', 'min' or 'product'");
}

void checkCpuDense(const at::Tensor& t, const char* what) {
  if (t.device().type() != c10::DeviceType::CPU)
    throw Err(std::string(what) + ": the Gloo backend of this build works on CPU tensors; this tensor is on " + t.device().str());
  if (t.is_sparse()) throw Err(std::string(what) + ": sparse tensors are not supported");
}

// distAllReduce(tensors, op): in place, one collective per tensor
FN(AllReduce) {
  return guarded(env, "allReduce", [&]() -> napi_value {
    Args a(env, info);
    Group& g = group("allReduce()");
    auto ts = tensorList(env, a[0], "allReduce");
    std::string op = str(env, a[1], "op");
    c10d::AllreduceOptions opts;
    opts.reduceOp = reduceOp(op);
    at::NoGradGuard noGrad;
    for (auto& t : ts) {
      checkCpuDense(t, "allReduce");
      if (op == "avg" && !t.is_floating_point()) throw Err("allReduce: 'avg' needs a floating-point tensor, got " + std::string(c10::toString(t.scalar_type())));
      at::Tensor work = t.is_contiguous() ? t : t.contiguous();
      std::vector<at::Tensor> v{work};
      int64_t s = ++g.seq;
      waitWork(g, g.pg->allreduce(v, opts), s, "allReduce");
      if (op == "avg") work.div_(g.world);
      if (!work.is_same(t)) t.copy_(work);
    }
    return jsUndef(env);
  });
}

// Flattens tensors of one dtype into one buffer, runs `collective` on it and copies back.
template <typename F>
void coalesced(std::vector<at::Tensor>& ts, F&& collective) {
  std::map<c10::ScalarType, std::vector<size_t>> byType;
  for (size_t i = 0; i < ts.size(); i++) byType[ts[i].scalar_type()].push_back(i);
  for (auto& [type, idx] : byType) {
    std::vector<at::Tensor> flats;
    for (size_t i : idx) flats.push_back(ts[i].reshape({-1}));
    at::Tensor flat = at::cat(flats);
    collective(flat);
    int64_t off = 0;
    for (size_t i : idx) {
      int64_t n = ts[i].numel();
      ts[i].copy_(flat.narrow(0, off, n).view(ts[i].sizes()));
      off += n;
    }
  }
}

// distBroadcast(tensors, src): in place, coalesced by dtype
FN(Broadcast) {
  return guarded(env, "broadcast", [&]() -> napi_value {
    Args a(env, info);
    Group& g = group("broadcast()");
    auto ts = tensorList(env, a[0], "broadcast");
    int src = static_cast<int>(num(env, a[1], "src"));
    if (src < 0 || src >= g.world) throw Err("src must be a rank from 0 to " + std::to_string(g.world - 1) + ", got " + std::to_string(src));
    for (auto& t : ts) checkCpuDense(t, "broadcast");
    if (ts.empty()) return jsUndef(env);
    at::NoGradGuard noGrad;
    coalesced(ts, [&](at::Tensor& flat) {
      c10d::BroadcastOptions opts;
      opts.rootRank = src;
      std::vector<at::Tensor> v{flat};
      int64_t s = ++g.seq;
      waitWork(g, g.pg->broadcast(v, opts), s, "broadcast");
    });
    return jsUndef(env);
  });
}

// distAllGather(tensor): one tensor per rank (all of one shape)
FN(AllGather) {
  return guarded(env, "allGather", [&]() -> napi_value {
    Args a(env, info);
    Group& g = group("allGather()");
    at::Tensor t = owlet::tensorArg(env, a[0], "allGather").contiguous();
    checkCpuDense(t, "allGather");
    at::NoGradGuard noGrad;
    std::vector<std::vector<at::Tensor>> outs(1);
    for (int r = 0; r < g.world; r++) outs[0].push_back(at::empty_like(t));
    std::vector<at::Tensor> in{t};
    int64_t s = ++g.seq;
    waitWork(g, g.pg->allgather(outs, in), s, "allGather");
    napi_value arr;
    CHECK_NAPI(napi_create_array_with_length(env, g.world, &arr));
    for (int r = 0; r < g.world; r++) CHECK_NAPI(napi_set_element(env, arr, r, owlet::tensorValue(env, outs[0][r])));
    return arr;
  });
}

FN(Barrier) {
  return guarded(env, "barrier", [&]() -> napi_value {
    Group& g = group("barrier()");
    int64_t s = ++g.seq;
    waitWork(g, g.pg->barrier(), s, "barrier");
    return jsUndef(env);
  });
}

// ---------------------------------------------------------------------------------------------
// The gradient reducer

struct Reducer;

struct ReadyHook : torch::autograd::FunctionPostHook {
  Reducer* reducer;
  size_t index;
  ReadyHook(Reducer* r, size_t i) : reducer(r), index(i) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                            const torch::autograd::variable_list& inputs) override;
};

struct Bucket {
  std::vector<size_t> params;
  std::vector<int64_t> offsets;
  at::Tensor flat;
  size_t pending = 0;
  c10::intrusive_ptr<c10d::Work> work;
  int64_t seq = 0;
};

struct Reducer {
  std::vector<at::Tensor> params;
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators;
  std::vector<uintptr_t> hooks;
  std::vector<size_t> bucketOf;
  std::vector<Bucket> buckets;
  std::vector<char> ready;
  size_t nextLaunch = 0;
  bool armed = false;
  std::mutex mu;
  // what the stats report
  int64_t steps = 0, launchedInBackward = 0, launchedTotal = 0;
  double waitMs = 0, copyMs = 0;

  void reset() {
    for (auto& b : buckets) {
      b.pending = b.params.size();
      b.work.reset();
    }
    std::fill(ready.begin(), ready.end(), 0);
    nextLaunch = 0;
  }

  void launch(size_t bi) {
    Group& g = group("the gradient all-reduce");
    auto t0 = Clock::now();
    Bucket& b = buckets[bi];
    at::NoGradGuard noGrad;
    for (size_t k = 0; k < b.params.size(); k++) {
      const at::Tensor& p = params[b.params[k]];
      at::Tensor slice = b.flat.narrow(0, b.offsets[k], p.numel());
      const at::Tensor& grad = p.grad();
      if (grad.defined()) slice.view(p.sizes()).copy_(grad);
      else slice.zero_();
    }
    copyMs += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::vector<at::Tensor> v{b.flat};
    b.seq = ++g.seq;
    b.work = g.pg->allreduce(v);
    launchedTotal++;
  }

  void launchReady(bool inBackward) {
    while (nextLaunch < buckets.size() && buckets[nextLaunch].pending == 0) {
      launch(nextLaunch++);
      if (inBackward) launchedInBackward++;
    }
  }

  void markReady(size_t i) {
    std::lock_guard<std::mutex> lock(mu);
    if (!armed || ready[i]) return;
    ready[i] = 1;
    buckets[bucketOf[i]].pending--;
    launchReady(true);
  }

  void finalize() {
    std::lock_guard<std::mutex> lock(mu);
    Group& g = group("the gradient all-reduce");
    // parameters that took no part in this backward count as ready (zeros where they have no gradient)
    for (size_t i = 0; i < params.size(); i++)
      if (!ready[i]) {
        ready[i] = 1;
        buckets[bucketOf[i]].pending--;
      }
    launchReady(false);
    armed = false;
    at::NoGradGuard noGrad;
    for (auto& b : buckets) {
      auto t0 = Clock::now();
      waitWork(g, b.work, b.seq, "the gradient all-reduce");
      auto t1 = Clock::now();
      waitMs += std::chrono::duration<double, std::milli>(t1 - t0).count();
      b.flat.div_(g.world);
      for (size_t k = 0; k < b.params.size(); k++) {
        at::Tensor& p = params[b.params[k]];
        at::Tensor avg = b.flat.narrow(0, b.offsets[k], p.numel()).view(p.sizes());
        if (p.grad().defined()) p.mutable_grad().copy_(avg);
        else p.mutable_grad() = avg.clone();
      }
      copyMs += std::chrono::duration<double, std::milli>(Clock::now() - t1).count();
    }
    steps++;
    reset();
  }
};

torch::autograd::variable_list ReadyHook::operator()(const torch::autograd::variable_list& outputs,
                                                     const torch::autograd::variable_list&) {
  reducer->markReady(index);
  return outputs;
}

std::map<int, std::unique_ptr<Reducer>>& gReducersMap() {
  static auto* m = new std::map<int, std::unique_ptr<Reducer>>();
  return *m;
}
#define gReducers gReducersMap()
int gNextReducer = 1;

Reducer& reducerOf(napi_env env, napi_value v) {
  int id = static_cast<int>(num(env, v, "reducer"));
  auto it = gReducers.find(id);
  if (it == gReducers.end()) throw Err("this gradient reducer was destroyed");
  return *it->second;
}

// distReducerCreate(params, bucketCapBytes, firstBucketBytes): id
FN(ReducerCreate) {
  return guarded(env, "DistributedDataParallel", [&]() -> napi_value {
    Args a(env, info);
    group("DistributedDataParallel");
    auto params = tensorList(env, a[0], "parameters");
    double cap = num(env, a[1], "bucketCap");
    double first = num(env, a[2], "firstBucket");
    auto r = std::make_unique<Reducer>();
    for (auto& p : params) {
      checkCpuDense(p, "DistributedDataParallel");
      if (!p.requires_grad()) continue;
      if (!p.is_leaf()) throw Err("a parameter is not a leaf tensor (it was computed from others); DDP reduces leaf parameters");
      r->params.push_back(p);
    }
    size_t n = r->params.size();
    r->bucketOf.assign(n, 0);
    r->ready.assign(n, 0);
    // reverse order (the order backward reaches them), one dtype a bucket
    std::map<c10::ScalarType, size_t> open;
    std::vector<double> bytes;
    for (size_t k = n; k-- > 0;) {
      const at::Tensor& p = r->params[k];
      auto type = p.scalar_type();
      auto it = open.find(type);
      double limit = it != open.end() && it->second == 0 ? first : cap;
      if (it == open.end() || bytes[it->second] >= limit) {
        r->buckets.emplace_back();
        bytes.push_back(0);
        open[type] = r->buckets.size() - 1;
      }
      size_t bi = open[type];
      Bucket& b = r->buckets[bi];
      int64_t off = b.offsets.empty() ? 0 : b.offsets.back() + r->params[b.params.back()].numel();
      b.params.push_back(k);
      b.offsets.push_back(off);
      bytes[bi] += static_cast<double>(p.numel() * p.element_size());
      r->bucketOf[k] = bi;
    }
    for (auto& b : r->buckets) {
      int64_t total = b.offsets.back() + r->params[b.params.back()].numel();
      b.flat = at::zeros({total}, r->params[b.params[0]].options().requires_grad(false));
    }
    r->reset();
    for (size_t k = 0; k < n; k++) {
      auto acc = torch::autograd::impl::grad_accumulator(r->params[k]);
      r->hooks.push_back(acc->add_post_hook(std::make_unique<ReadyHook>(r.get(), k)));
      r->accumulators.push_back(acc);
    }
    int id = gNextReducer++;
    gReducers[id] = std::move(r);
    return jsNum(env, id);
  });
}

// distReducerPrepare(id): arms the hooks for the next backward
FN(ReducerPrepare) {
  return guarded(env, "DistributedDataParallel", [&]() -> napi_value {
    Args a(env, info);
    Reducer& r = reducerOf(env, a[0]);
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.nextLaunch > 0) {  // a backward that was never finalised: finish its collectives first
      for (size_t i = 0; i < r.nextLaunch; i++) {
        try {
          r.buckets[i].work->wait();
        } catch (...) {
        }
      }
    }
    r.reset();
    r.armed = true;
    return jsUndef(env);
  });
}

// distReducerFinalize(id): launches what is left, waits, and leaves the mean gradient in each .grad
FN(ReducerFinalize) {
  return guarded(env, "DistributedDataParallel", [&]() -> napi_value {
    Args a(env, info);
    reducerOf(env, a[0]).finalize();
    return jsUndef(env);
  });
}

FN(ReducerStats) {
  return guarded(env, "DistributedDataParallel", [&]() -> napi_value {
    Args a(env, info);
    Reducer& r = reducerOf(env, a[0]);
    napi_value o;
    CHECK_NAPI(napi_create_object(env, &o));
    setNum(env, o, "buckets", static_cast<double>(r.buckets.size()));
    setNum(env, o, "params", static_cast<double>(r.params.size()));
    setNum(env, o, "steps", static_cast<double>(r.steps));
    setNum(env, o, "launched", static_cast<double>(r.launchedTotal));
    setNum(env, o, "launchedInBackward", static_cast<double>(r.launchedInBackward));
    setNum(env, o, "waitMs", r.waitMs);
    setNum(env, o, "copyMs", r.copyMs);
    napi_value sizes;
    CHECK_NAPI(napi_create_array_with_length(env, r.buckets.size(), &sizes));
    for (size_t i = 0; i < r.buckets.size(); i++)
      CHECK_NAPI(napi_set_element(env, sizes, i, jsNum(env, static_cast<double>(r.buckets[i].flat.numel() * r.buckets[i].flat.element_size()))));
    CHECK_NAPI(napi_set_named_property(env, o, "bucketBytes", sizes));
    return o;
  });
}

FN(ReducerDestroy) {
  return guarded(env, "DistributedDataParallel", [&]() -> napi_value {
    Args a(env, info);
    int id = static_cast<int>(num(env, a[0], "reducer"));
    auto it = gReducers.find(id);
    if (it == gReducers.end()) return jsUndef(env);
    Reducer& r = *it->second;
    for (size_t k = 0; k < r.accumulators.size(); k++) r.accumulators[k]->del_post_hook(r.hooks[k]);
    gReducers.erase(it);
    return jsUndef(env);
  });
}

#else  // no Gloo: every entry says what to install

const char* kNoGloo =
    "this owlet addon was built without distributed support: Gloo's headers (Debian's libgloo-dev) were missing "
    "when it was built. Install them (Debian/Ubuntu: `sudo apt-get install libgloo-dev`), then rebuild owlet "
    "(`npm run setup -- --force` in its folder)";


FN(Unavailable) {
  napi_throw_error(env, nullptr, (std::string("initProcessGroup: ") + kNoGloo).c_str());
  return nullptr;
}
#define Init Unavailable
#define Destroy Unavailable
#define AllReduce Unavailable
#define Broadcast Unavailable
#define AllGather Unavailable
#define Barrier Unavailable
#define ReducerCreate Unavailable
#define ReducerPrepare Unavailable
#define ReducerFinalize Unavailable
#define ReducerStats Unavailable
#define ReducerDestroy Unavailable
FN(IsInitialized) { return jsBool(env, false); }

#endif

}  // namespace

namespace owlet {

void defineDistributed(napi_env env, napi_value exports) {
#define DIST(name, fn) {name, nullptr, fn, nullptr, nullptr, nullptr, napi_default, nullptr}
  napi_property_descriptor props[] = {
      DIST("distAvailable", Available),
      DIST("distInit", Init),
      DIST("distDestroy", Destroy),
      DIST("distIsInitialized", IsInitialized),
      DIST("distAllReduce", AllReduce),
      DIST("distBroadcast", Broadcast),
      DIST("distAllGather", AllGather),
      DIST("distBarrier", Barrier),
      DIST("distReducerCreate", ReducerCreate),
      DIST("distReducerPrepare", ReducerPrepare),
      DIST("distReducerFinalize", ReducerFinalize),
      DIST("distReducerStats", ReducerStats),
      DIST("distReducerDestroy", ReducerDestroy),
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
#undef DIST
}

}  // namespace owlet
