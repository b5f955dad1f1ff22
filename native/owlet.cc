// owlet's native layer: libtorch reached from Node-API.
//
// One generic entry (`call`) reaches every operator registered with libtorch's dispatcher: its
// arguments are converted from JavaScript by the operator's schema and the call is boxed, so it goes
// through autograd like any other. A few hot operators get direct bindings, and the things that are
// not operators (backward, grad, guards, memory in and out, seeds, threads) are bound by hand.
//
// Every C++ exception stops here and becomes a JavaScript Error that names the operator and the
// shapes and dtypes of its tensor arguments; no input from JavaScript may crash the process.

// Finalizers run inside garbage collection ("basic" finalizers, Node-API experimental in Node 20):
// without this, Node 20 defers every finalizer to setImmediate, and a synchronous training loop
// would keep every dropped tensor alive until it yields.
#define NAPI_EXPERIMENTAL
#include <node_api.h>

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/Parallel.h>
#include <torch/version.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/generated/variable_factories.h>

#include "adam.h"
#include "distributed.h"
#include "cpu_cache.h"
#include <ATen/ScalarOps.h>

#include <atomic>
#include <dlfcn.h>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Errors

struct JsError {
  std::string message;
};

#define NAPI_OK(call)                                                        \
  do {                                                                       \
    if ((call) != napi_ok) throw JsError{"owlet: Node-API call failed: " #call}; \
  } while (0)

std::string firstLines(const std::string& s) {
  // libtorch messages may carry a C++ backtrace after the text; keep the text.
  auto pos = s.find("\nException raised from");
  std::string out = pos == std::string::npos ? s : s.substr(0, pos);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

napi_value throwError(napi_env env, const std::string& msg) {
  napi_throw_error(env, nullptr, msg.c_str());
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Tensor handles: a JS external that owns a heap-held at::Tensor. dispose() releases the tensor
// early; the finalizer frees the holder. The storage size is reported to V8 so that its garbage
// collector keeps up with libtorch's allocations.

struct Holder {
  at::Tensor t;
  int64_t reported = 0;
};

std::atomic<int64_t> gLiveHandles{0};
std::atomic<int64_t> gReportedBytes{0};

int64_t storageBytes(const at::Tensor& t) {
  if (!t.defined() || !t.has_storage()) return 0;
  if (t.device().type() != c10::DeviceType::CPU) return 0;
  return static_cast<int64_t>(t.storage().nbytes());
}

// Tells V8 of memory held or let go. Changes are batched until they add up to 1 MiB either way: a
// report costs as much as a small operator, and most tensors in a hot loop are small.
// Releases found during garbage collection: reported on the next call from JavaScript, since a
// finalizer running inside V8's collector must not call back into V8.
std::atomic<int64_t> gDeferredRelease{0};

void account(node_api_basic_env env, int64_t delta) {
  static int64_t pending = 0;
  pending -= gDeferredRelease.exchange(0);
  gReportedBytes += delta;
  pending += delta;
  if (pending >= (1 << 20) || pending <= -(1 << 20)) {
    int64_t ignored;
    napi_adjust_external_memory(env, pending, &ignored);
    pending = 0;
  }
}

void finalizeHolder(node_api_basic_env env, void* data, void*) {
  auto* h = static_cast<Holder*>(data);
  if (h->reported) {
    gReportedBytes -= h->reported;
    gDeferredRelease += h->reported;
  }
  gLiveHandles--;
  delete h;
}

napi_value wrapTensor(napi_env env, at::Tensor t) {
  if (!t.defined()) {
    napi_value n;
    napi_get_null(env, &n);
    return n;
  }
  auto* h = new Holder{std::move(t), 0};
  h->reported = storageBytes(h->t);
  napi_value ext;
  if (napi_create_external(env, h, finalizeHolder, nullptr, &ext) != napi_ok) {
    delete h;
    throw JsError{"owlet: could not create a tensor handle"};
  }
  gLiveHandles++;
  if (h->reported) account(env, h->reported);
  return ext;
}

Holder* holderOf(napi_env env, napi_value v, const char* what) {
  napi_valuetype type;
  NAPI_OK(napi_typeof(env, v, &type));
  if (type != napi_external) throw JsError{std::string("expected a tensor for ") + what};
  void* data;
  NAPI_OK(napi_get_value_external(env, v, &data));
  return static_cast<Holder*>(data);
}

const at::Tensor& tensorOf(napi_env env, napi_value v, const char* what = "argument") {
  Holder* h = holderOf(env, v, what);
  if (!h->t.defined())
    throw JsError{std::string("tensor used after dispose(): ") + what +
                  " was released and holds no data; keep the tensor until its last use"};
  return h->t;
}

// ---------------------------------------------------------------------------------------------
// Small conversions

double numberOf(napi_env env, napi_value v) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw JsError{"expected a number"};
  return d;
}

std::string stringOf(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok)
    throw JsError{"expected a string"};
  std::string s(len, '\0');
  NAPI_OK(napi_get_value_string_utf8(env, v, &s[0], len + 1, &len));
  return s;
}

bool boolOf(napi_env env, napi_value v) {
  bool b;
  if (napi_get_value_bool(env, v, &b) != napi_ok) throw JsError{"expected a boolean"};
  return b;
}

napi_value jsNumber(napi_env env, double d) {
  napi_value v;
  NAPI_OK(napi_create_double(env, d, &v));
  return v;
}

napi_value jsBool(napi_env env, bool b) {
  napi_value v;
  NAPI_OK(napi_get_boolean(env, b, &v));
  return v;
}

napi_value jsString(napi_env env, const std::string& s) {
  napi_value v;
  NAPI_OK(napi_create_string_utf8(env, s.data(), s.size(), &v));
  return v;
}

napi_value jsUndefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

napi_valuetype typeOf(napi_env env, napi_value v) {
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, v, &t));
  return t;
}

bool isArray(napi_env env, napi_value v) {
  bool a;
  NAPI_OK(napi_is_array(env, v, &a));
  return a;
}

std::vector<napi_value> arrayItems(napi_env env, napi_value v) {
  uint32_t n;
  NAPI_OK(napi_get_array_length(env, v, &n));
  std::vector<napi_value> items(n);
  for (uint32_t i = 0; i < n; i++) NAPI_OK(napi_get_element(env, v, i, &items[i]));
  return items;
}

const char* jsTypeName(napi_env env, napi_value v) {
  switch (typeOf(env, v)) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return "a number";
    case napi_string: return "a string";
    case napi_external: return "a tensor";
    case napi_bigint: return "a bigint";
    case napi_function: return "a function";
    default: return isArray(env, v) ? "an array" : "an object";
  }
}

std::vector<int64_t> intList(napi_env env, napi_value v) {
  if (typeOf(env, v) == napi_number) return {static_cast<int64_t>(numberOf(env, v))};
  if (!isArray(env, v)) throw JsError{std::string("expected a list of integers, got ") + jsTypeName(env, v)};
  std::vector<int64_t> out;
  for (napi_value item : arrayItems(env, v)) {
    if (typeOf(env, item) != napi_number)
      throw JsError{std::string("expected a list of integers, found ") + jsTypeName(env, item) + " in it"};
    double d = numberOf(env, item);
    if (d != static_cast<double>(static_cast<int64_t>(d)))
      throw JsError{"expected a list of integers, found " + std::to_string(d) + " in it"};
    out.push_back(static_cast<int64_t>(d));
  }
  return out;
}

// owlet's dtype names (TypeScript side), so errors speak the user's language.
const char* dtypeName(c10::ScalarType t) {
  switch (t) {
    case c10::ScalarType::Byte: return "uint8";
    case c10::ScalarType::Char: return "int8";
    case c10::ScalarType::Short: return "int16";
    case c10::ScalarType::Int: return "int32";
    case c10::ScalarType::Long: return "int64";
    case c10::ScalarType::Half: return "float16";
    case c10::ScalarType::Float: return "float32";
    case c10::ScalarType::Double: return "float64";
    case c10::ScalarType::Bool: return "bool";
    case c10::ScalarType::BFloat16: return "bfloat16";
    default: return c10::toString(t);
  }
}

std::string describeTensor(const at::Tensor& t) {
  if (!t.defined()) return "Tensor(undefined)";
  std::ostringstream s;
  s << "Tensor[";
  for (int64_t i = 0; i < t.dim(); i++) s << (i ? ", " : "") << t.size(i);
  s << "] " << dtypeName(t.scalar_type());
  if (!t.device().is_cpu()) s << " " << t.device();
  return s.str();
}

c10::Scalar scalarOf(napi_env env, napi_value v) {
  switch (typeOf(env, v)) {
    case napi_boolean: return c10::Scalar(boolOf(env, v));
    case napi_number: {
      double d = numberOf(env, v);
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.007199254740992e15)
        return c10::Scalar(static_cast<int64_t>(d));
      return c10::Scalar(d);
    }
    case napi_external: {
      const at::Tensor& t = tensorOf(env, v, "a scalar");
      if (t.numel() != 1) throw JsError{"expected a number or a one-element tensor, got " + describeTensor(t)};
      return t.item();
    }
    default: throw JsError{std::string("expected a number, got ") + jsTypeName(env, v)};
  }
}

// ---------------------------------------------------------------------------------------------
// Schema-driven conversion of JS values to IValues.

enum class Kind : uint8_t {
  Tensor, Int, Float, Bool, Scalar, String, Device, Generator, IntList, FloatList, BoolList,
  TensorList, OptTensorList, Other
};

struct ArgSpec {
  std::string name;
  Kind kind;
  bool optional;
  c10::optional<c10::IValue> def;
  int32_t n;  // fixed list length (`int[2]`), 0 when free: a single number is repeated n times
};

struct OpEntry {
  c10::OperatorHandle handle;
  std::string name;  // aten::mul.Tensor
  std::vector<ArgSpec> args;
  size_t nReturns;
  bool returnsSelf;  // returns its first argument (in-place ops): JS returns `self`
};

std::vector<OpEntry>& ops() {
  static std::vector<OpEntry> v;
  return v;
}

Kind kindOf(const c10::TypePtr& type) {
  using c10::TypeKind;
  switch (type->kind()) {
    case TypeKind::TensorType: return Kind::Tensor;
    case TypeKind::IntType:
    case TypeKind::SymIntType: return Kind::Int;
    case TypeKind::FloatType: return Kind::Float;
    case TypeKind::BoolType: return Kind::Bool;
    case TypeKind::NumberType: return Kind::Scalar;
    case TypeKind::StringType: return Kind::String;
    case TypeKind::DeviceObjType: return Kind::Device;
    case TypeKind::GeneratorType: return Kind::Generator;
    case TypeKind::ListType: {
      auto elem = type->castRaw<c10::ListType>()->getElementType();
      switch (elem->kind()) {
        case TypeKind::IntType:
        case TypeKind::SymIntType: return Kind::IntList;
        case TypeKind::FloatType: return Kind::FloatList;
        case TypeKind::BoolType: return Kind::BoolList;
        case TypeKind::TensorType: return Kind::TensorList;
        case TypeKind::OptionalType:
          if (elem->castRaw<c10::OptionalType>()->getElementType()->kind() == TypeKind::TensorType)
            return Kind::OptTensorList;
          return Kind::Other;
        default: return Kind::Other;
      }
    }
    default: return Kind::Other;
  }
}

const char* kindName(Kind k) {
  switch (k) {
    case Kind::Tensor: return "a tensor";
    case Kind::Int: return "an integer";
    case Kind::Float: return "a number";
    case Kind::Bool: return "a boolean";
    case Kind::Scalar: return "a number";
    case Kind::String: return "a string";
    case Kind::Device: return "a device such as 'cpu'";
    case Kind::Generator: return "null (a generator)";
    case Kind::IntList: return "a list of integers";
    case Kind::FloatList: return "a list of numbers";
    case Kind::BoolList: return "a list of booleans";
    case Kind::TensorList: return "a list of tensors";
    case Kind::OptTensorList: return "a list of tensors or nulls";
    default: return "a value owlet cannot pass";
  }
}

c10::IValue toIValue(napi_env env, napi_value v, Kind kind) {
  switch (kind) {
    case Kind::Tensor: {
      napi_valuetype t = typeOf(env, v);
      if (t == napi_number || t == napi_boolean) {
        // A plain number where a tensor goes: a wrapped number, as PyTorch makes for `t * 2`.
        auto s = at::scalar_tensor(scalarOf(env, v));
        s.unsafeGetTensorImpl()->set_wrapped_number(true);
        return s;
      }
      return tensorOf(env, v);
    }
    case Kind::Int: {
      if (typeOf(env, v) != napi_number) throw JsError{std::string("expected an integer, got ") + jsTypeName(env, v)};
      double d = numberOf(env, v);
      if (d != std::trunc(d)) throw JsError{"expected an integer, got " + std::to_string(d)};
      return static_cast<int64_t>(d);
    }
    case Kind::Float:
      if (typeOf(env, v) != napi_number) throw JsError{std::string("expected a number, got ") + jsTypeName(env, v)};
      return numberOf(env, v);
    case Kind::Bool:
      if (typeOf(env, v) != napi_boolean) throw JsError{std::string("expected a boolean, got ") + jsTypeName(env, v)};
      return boolOf(env, v);
    case Kind::Scalar: return scalarOf(env, v);
    case Kind::String:
      if (typeOf(env, v) != napi_string) throw JsError{std::string("expected a string, got ") + jsTypeName(env, v)};
      return stringOf(env, v);
    case Kind::Device:
      if (typeOf(env, v) != napi_string) throw JsError{std::string("expected a device such as 'cpu', got ") + jsTypeName(env, v)};
      try {
        return c10::Device(stringOf(env, v));
      } catch (const c10::Error&) {
        throw JsError{"'" + stringOf(env, v) + "' is not a device: use 'cpu' or 'cuda:0'"};
      }
    case Kind::Generator: throw JsError{"generators are not supported: pass null"};
    case Kind::IntList: return c10::List<int64_t>(intList(env, v));
    case Kind::FloatList: {
      if (!isArray(env, v)) throw JsError{std::string("expected a list of numbers, got ") + jsTypeName(env, v)};
      c10::List<double> out;
      for (napi_value item : arrayItems(env, v)) out.push_back(numberOf(env, item));
      return out;
    }
    case Kind::BoolList: {
      if (!isArray(env, v)) throw JsError{std::string("expected a list of booleans, got ") + jsTypeName(env, v)};
      std::vector<bool> bools;
      for (napi_value item : arrayItems(env, v)) bools.push_back(boolOf(env, item));
      c10::List<bool> out;
      for (bool b : bools) out.push_back(b);
      return out;
    }
    case Kind::TensorList: {
      if (!isArray(env, v)) throw JsError{std::string("expected a list of tensors, got ") + jsTypeName(env, v)};
      c10::List<at::Tensor> out;
      for (napi_value item : arrayItems(env, v)) out.push_back(tensorOf(env, item, "a list element"));
      return out;
    }
    case Kind::OptTensorList: {
      if (!isArray(env, v)) throw JsError{std::string("expected a list of tensors, got ") + jsTypeName(env, v)};
      c10::List<c10::optional<at::Tensor>> out;
      for (napi_value item : arrayItems(env, v)) {
        napi_valuetype t = typeOf(env, item);
        if (t == napi_null || t == napi_undefined) out.push_back(c10::nullopt);
        else out.push_back(tensorOf(env, item, "a list element"));
      }
      return out;
    }
    default: throw JsError{"this argument type cannot be passed from JavaScript"};
  }
}

napi_value fromIValue(napi_env env, const c10::IValue& v) {
  if (v.isTensor()) return wrapTensor(env, v.toTensor());
  if (v.isNone()) {
    napi_value n;
    napi_get_null(env, &n);
    return n;
  }
  if (v.isInt()) return jsNumber(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return jsNumber(env, v.toDouble());
  if (v.isBool()) return jsBool(env, v.toBool());
  if (v.isString()) return jsString(env, v.toStringRef());
  if (v.isScalar()) {
    auto s = v.toScalar();
    if (s.isBoolean()) return jsBool(env, s.toBool());
    return jsNumber(env, s.toDouble());
  }
  if (v.isTensorList() || v.isList() || v.isTuple()) {
    std::vector<c10::IValue> items;
    if (v.isTuple()) {
      for (const auto& e : v.toTupleRef().elements()) items.push_back(e);
    } else {
      for (const auto& e : v.toListRef()) items.push_back(e);
    }
    napi_value arr;
    NAPI_OK(napi_create_array_with_length(env, items.size(), &arr));
    for (size_t i = 0; i < items.size(); i++) NAPI_OK(napi_set_element(env, arr, i, fromIValue(env, items[i])));
    return arr;
  }
  if (v.isDevice()) return jsString(env, v.toDevice().str());
  throw JsError{"owlet cannot return a value of type " + v.tagKind()};
}

std::string describeArgs(napi_env env, const OpEntry* op, napi_value* argv, size_t argc) {
  std::ostringstream s;
  s << "(";
  for (size_t i = 0; i < argc; i++) {
    if (i) s << ", ";
    if (op && i < op->args.size()) s << op->args[i].name << "=";
    napi_valuetype t;
    if (napi_typeof(env, argv[i], &t) != napi_ok) { s << "?"; continue; }
    if (t == napi_external) {
      void* data;
      napi_get_value_external(env, argv[i], &data);
      auto* h = static_cast<Holder*>(data);
      s << (h->t.defined() ? describeTensor(h->t) : "Tensor(disposed)");
    } else if (t == napi_number) {
      double d;
      napi_get_value_double(env, argv[i], &d);
      std::ostringstream n;
      n << d;
      s << n.str();
    } else {
      s << jsTypeName(env, argv[i]);
    }
  }
  s << ")";
  return s.str();
}

// ---------------------------------------------------------------------------------------------
// Call plumbing

constexpr size_t kMaxArgs = 24;

struct Args {
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  Args(napi_env env, napi_callback_info info) {
    NAPI_OK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
    if (argc > kMaxArgs) argc = kMaxArgs;
  }
  napi_value operator[](size_t i) const { return argv[i]; }
};

template <typename F>
napi_value guarded(napi_env env, const char* what, F&& f) {
  try {
    return f();
  } catch (const JsError& e) {
    return throwError(env, std::string(what) + ": " + e.message);
  } catch (const c10::Error& e) {
    return throwError(env, std::string(what) + ": " + firstLines(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    return throwError(env, std::string(what) + ": " + firstLines(e.what()));
  } catch (...) {
    return throwError(env, std::string(what) + ": unknown C++ exception");
  }
}

#define FN(name) napi_value name(napi_env env, napi_callback_info info)

// opHandle(name: string, overload: string): number
FN(OpHandle) {
  return guarded(env, "opHandle", [&]() -> napi_value {
    Args a(env, info);
    std::string name = stringOf(env, a[0]);
    std::string overload = stringOf(env, a[1]);
    auto handle = c10::Dispatcher::singleton().findSchema({name, overload});
    if (!handle) throw JsError{"no operator " + name + (overload.empty() ? "" : "." + overload)};
    const auto& schema = handle->schema();
    OpEntry entry{*handle, name + (overload.empty() ? "" : "." + overload), {}, schema.returns().size(), false};
    for (const auto& arg : schema.arguments()) {
      Kind k;
      bool opt = false;
      if (arg.type()->kind() == c10::TypeKind::OptionalType) {
        opt = true;
        k = kindOf(arg.type()->castRaw<c10::OptionalType>()->getElementType());
      } else {
        k = kindOf(arg.type());
      }
      entry.args.push_back({arg.name(), k, opt, arg.default_value(), arg.N().value_or(0)});
    }
    if (schema.returns().size() == 1 && !schema.arguments().empty()) {
      const auto* ra = schema.returns()[0].alias_info();
      const auto* aa = schema.arguments()[0].alias_info();
      entry.returnsSelf = ra && aa && ra->isWrite() && ra->beforeSets() == aa->beforeSets();
    }
    ops().push_back(std::move(entry));
    return jsNumber(env, static_cast<double>(ops().size() - 1));
  });
}

// call(handle: number, ...args): result. Trailing missing args take the schema's defaults;
// `undefined` in the middle takes the default too.
FN(Call) {
  Args a(env, info);
  const OpEntry* op = nullptr;
  try {
    uint32_t idx;
    if (a.argc < 1 || napi_get_value_uint32(env, a[0], &idx) != napi_ok || idx >= ops().size())
      throw JsError{"call: bad operator handle"};
    op = &ops()[idx];
    size_t given = a.argc - 1;
    if (given > op->args.size())
      throw JsError{op->name + " takes " + std::to_string(op->args.size()) + " arguments, got " + std::to_string(given)};
    torch::jit::Stack stack;
    stack.reserve(op->args.size());
    for (size_t i = 0; i < op->args.size(); i++) {
      const ArgSpec& spec = op->args[i];
      napi_valuetype t = napi_undefined;
      if (i < given) t = typeOf(env, a[i + 1]);
      if (t == napi_undefined) {
        if (spec.def) { stack.push_back(*spec.def); continue; }
        if (spec.optional) { stack.emplace_back(); continue; }
        throw JsError{op->name + ": argument '" + spec.name + "' is required (" + kindName(spec.kind) + ")"};
      }
      if (t == napi_null && spec.optional) { stack.emplace_back(); continue; }
      try {
        if (spec.kind == Kind::IntList && spec.n > 1 && t == napi_number) {
          std::vector<int64_t> one = intList(env, a[i + 1]);  // `2` for int[2] means [2, 2], as in PyTorch
          stack.push_back(c10::List<int64_t>(std::vector<int64_t>(spec.n, one[0])));
          continue;
        }
        stack.push_back(toIValue(env, a[i + 1], spec.kind));
      } catch (const JsError& e) {
        throw JsError{op->name + ": argument '" + spec.name + "': " + e.message};
      }
    }
    op->handle.callBoxed(&stack);
    if (op->returnsSelf || op->nReturns == 0) return jsUndefined(env);
    if (op->nReturns == 1) return fromIValue(env, stack[0]);
    napi_value arr;
    NAPI_OK(napi_create_array_with_length(env, stack.size(), &arr));
    for (size_t i = 0; i < stack.size(); i++) NAPI_OK(napi_set_element(env, arr, i, fromIValue(env, stack[i])));
    return arr;
  } catch (const JsError& e) {
    return throwError(env, e.message);
  } catch (const c10::Error& e) {
    std::string name = op ? op->name : std::string("call");
    return throwError(env, name + describeArgs(env, op, a.argv + 1, a.argc - 1) + ": " + firstLines(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    std::string name = op ? op->name : std::string("call");
    return throwError(env, name + describeArgs(env, op, a.argv + 1, a.argc - 1) + ": " + firstLines(e.what()));
  } catch (...) {
    return throwError(env, "call: unknown C++ exception");
  }
}

// schemas(): string[] — every registered operator schema, for the generator.
FN(Schemas) {
  return guarded(env, "schemas", [&]() -> napi_value {
    auto names = c10::Dispatcher::singleton().getAllOpNames();
    napi_value arr;
    NAPI_OK(napi_create_array(env, &arr));
    uint32_t i = 0;
    for (const auto& n : names) {
      auto h = c10::Dispatcher::singleton().findSchema(n);
      if (!h || !h->hasSchema()) continue;
      std::ostringstream s;
      s << h->schema();
      NAPI_OK(napi_set_element(env, arr, i++, jsString(env, s.str())));
    }
    return arr;
  });
}

// ---------------------------------------------------------------------------------------------
// Direct bindings for the hottest binary ops: (a, b) where b is a tensor or a number. In-place
// ops return undefined (JS returns `a` itself).
template <at::Tensor (*F)(const at::Tensor&, const at::Tensor&), at::Tensor (*FS)(const at::Tensor&, const c10::Scalar&), bool Inplace = false>
napi_value binary(napi_env env, napi_callback_info info, const char* name) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  try {
    if (argc < 2) throw JsError{std::string(name) + " takes two arguments"};
    const at::Tensor& x = tensorOf(env, argv[0], "self");
    napi_valuetype t;
    NAPI_OK(napi_typeof(env, argv[1], &t));
    at::Tensor out = t == napi_external ? F(x, tensorOf(env, argv[1], "other")) : FS(x, scalarOf(env, argv[1]));
    return Inplace ? nullptr : wrapTensor(env, std::move(out));
  } catch (const JsError& e) {
    return throwError(env, std::string(name) + ": " + e.message);
  } catch (const c10::Error& e) {
    return throwError(env, std::string(name) + describeArgs(env, nullptr, argv, argc) + ": " + firstLines(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    return throwError(env, std::string(name) + ": " + e.what());
  }
}

at::Tensor addT(const at::Tensor& a, const at::Tensor& b) { return at::add(a, b); }
at::Tensor addS(const at::Tensor& a, const c10::Scalar& b) { return at::add(a, at::native::wrapped_scalar_tensor(b)); }
at::Tensor subT(const at::Tensor& a, const at::Tensor& b) { return at::sub(a, b); }
at::Tensor subS(const at::Tensor& a, const c10::Scalar& b) { return at::sub(a, at::native::wrapped_scalar_tensor(b)); }
at::Tensor mulT(const at::Tensor& a, const at::Tensor& b) { return at::mul(a, b); }
at::Tensor mulS(const at::Tensor& a, const c10::Scalar& b) { return at::mul(a, at::native::wrapped_scalar_tensor(b)); }
at::Tensor divT(const at::Tensor& a, const at::Tensor& b) { return at::div(a, b); }
at::Tensor divS(const at::Tensor& a, const c10::Scalar& b) { return at::div(a, at::native::wrapped_scalar_tensor(b)); }
at::Tensor subIT(const at::Tensor& a, const at::Tensor& b) { return const_cast<at::Tensor&>(a).sub_(b); }
at::Tensor subIS(const at::Tensor& a, const c10::Scalar& b) { return const_cast<at::Tensor&>(a).sub_(at::native::wrapped_scalar_tensor(b)); }
at::Tensor addIT(const at::Tensor& a, const at::Tensor& b) { return const_cast<at::Tensor&>(a).add_(b); }
at::Tensor addIS(const at::Tensor& a, const c10::Scalar& b) { return const_cast<at::Tensor&>(a).add_(at::native::wrapped_scalar_tensor(b)); }
at::Tensor mulIT(const at::Tensor& a, const at::Tensor& b) { return const_cast<at::Tensor&>(a).mul_(b); }
at::Tensor mulIS(const at::Tensor& a, const c10::Scalar& b) { return const_cast<at::Tensor&>(a).mul_(at::native::wrapped_scalar_tensor(b)); }

FN(Add) { return binary<addT, addS>(env, info, "aten::add"); }
FN(Sub) { return binary<subT, subS>(env, info, "aten::sub"); }
FN(Mul) { return binary<mulT, mulS>(env, info, "aten::mul"); }
FN(Div) { return binary<divT, divS>(env, info, "aten::div"); }

FN(SubInplace) { return binary<subIT, subIS, true>(env, info, "aten::sub_"); }
FN(AddInplace) { return binary<addIT, addIS, true>(env, info, "aten::add_"); }
FN(MulInplace) { return binary<mulIT, mulIS, true>(env, info, "aten::mul_"); }

// ---------------------------------------------------------------------------------------------
// Tensor facts

FN(Shape) {
  return guarded(env, "shape", [&]() -> napi_value {
    Args a(env, info);
    const at::Tensor& t = tensorOf(env, a[0]);
    napi_value arr;
    NAPI_OK(napi_create_array_with_length(env, t.dim(), &arr));
    for (int64_t i = 0; i < t.dim(); i++) NAPI_OK(napi_set_element(env, arr, i, jsNumber(env, t.size(i))));
    return arr;
  });
}

FN(Strides) {
  return guarded(env, "stride", [&]() -> napi_value {
    Args a(env, info);
    const at::Tensor& t = tensorOf(env, a[0]);
    napi_value arr;
    NAPI_OK(napi_create_array_with_length(env, t.dim(), &arr));
    for (int64_t i = 0; i < t.dim(); i++) NAPI_OK(napi_set_element(env, arr, i, jsNumber(env, t.stride(i))));
    return arr;
  });
}

FN(Dim) {
  return guarded(env, "dim", [&]() -> napi_value {
    Args a(env, info);
    return jsNumber(env, tensorOf(env, a[0]).dim());
  });
}

FN(Numel) {
  return guarded(env, "numel", [&]() -> napi_value {
    Args a(env, info);
    return jsNumber(env, tensorOf(env, a[0]).numel());
  });
}

FN(Dtype) {
  return guarded(env, "dtype", [&]() -> napi_value {
    Args a(env, info);
    return jsNumber(env, static_cast<int>(tensorOf(env, a[0]).scalar_type()));
  });
}

FN(DeviceOf) {
  return guarded(env, "device", [&]() -> napi_value {
    Args a(env, info);
    return jsString(env, tensorOf(env, a[0]).device().str());
  });
}

FN(IsContiguous) {
  return guarded(env, "isContiguous", [&]() -> napi_value {
    Args a(env, info);
    const at::Tensor& t = tensorOf(env, a[0]);
    c10::MemoryFormat fmt = c10::MemoryFormat::Contiguous;
    if (a.argc > 1 && typeOf(env, a[1]) == napi_number) fmt = static_cast<c10::MemoryFormat>(static_cast<int>(numberOf(env, a[1])));
    return jsBool(env, t.is_contiguous(fmt));
  });
}

FN(IsDisposed) {
  return guarded(env, "isDisposed", [&]() -> napi_value {
    Args a(env, info);
    return jsBool(env, !holderOf(env, a[0], "argument")->t.defined());
  });
}

FN(Dispose) {
  return guarded(env, "dispose", [&]() -> napi_value {
    Args a(env, info);
    Holder* h = holderOf(env, a[0], "argument");
    if (h->reported) {
      account(env, -h->reported);
      h->reported = 0;
    }
    h->t = at::Tensor();
    return jsUndefined(env);
  });
}

// item(t): number | boolean
FN(Item) {
  return guarded(env, "item", [&]() -> napi_value {
    Args a(env, info);
    const at::Tensor& t = tensorOf(env, a[0]);
    if (t.numel() != 1)
      throw JsError{"a tensor with " + std::to_string(t.numel()) + " elements cannot be converted to a number; item() needs exactly one element"};
    c10::Scalar s = t.item();
    if (s.isBoolean()) return jsBool(env, s.toBool());
    if (s.isIntegral(false)) return jsNumber(env, static_cast<double>(s.toLong()));
    return jsNumber(env, s.toDouble());
  });
}

// fromBuffer(bytes: ArrayBufferView | ArrayBuffer, dtype: number, shape: number[]): tensor (a copy)
FN(FromBuffer) {
  return guarded(env, "fromBuffer", [&]() -> napi_value {
    Args a(env, info);
    void* data = nullptr;
    size_t length = 0;
    bool isTyped = false, isAB = false, isDV = false;
    NAPI_OK(napi_is_typedarray(env, a[0], &isTyped));
    if (isTyped) {
      napi_typedarray_type tt;
      size_t n;
      napi_value ab;
      size_t off;
      NAPI_OK(napi_get_typedarray_info(env, a[0], &tt, &n, &data, &ab, &off));
      NAPI_OK(napi_get_arraybuffer_info(env, ab, nullptr, &length));
      // length of the view in bytes:
      size_t elem = 1;
      switch (tt) {
        case napi_int16_array: case napi_uint16_array: elem = 2; break;
        case napi_int32_array: case napi_uint32_array: case napi_float32_array: elem = 4; break;
        case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
        default: elem = 1;
      }
      length = n * elem;
    } else {
      NAPI_OK(napi_is_arraybuffer(env, a[0], &isAB));
      if (isAB) NAPI_OK(napi_get_arraybuffer_info(env, a[0], &data, &length));
      else {
        NAPI_OK(napi_is_dataview(env, a[0], &isDV));
        if (!isDV) throw JsError{"expected a typed array or an ArrayBuffer"};
        napi_value ab;
        size_t off;
        NAPI_OK(napi_get_dataview_info(env, a[0], &length, &data, &ab, &off));
      }
    }
    auto dtype = static_cast<c10::ScalarType>(static_cast<int>(numberOf(env, a[1])));
    std::vector<int64_t> shape = intList(env, a[2]);
    int64_t numel = 1;
    for (int64_t d : shape) {
      if (d < 0) throw JsError{"a shape cannot have a negative size"};
      numel *= d;
    }
    size_t need = static_cast<size_t>(numel) * c10::elementSize(dtype);
    if (need != length)
      throw JsError{"the data holds " + std::to_string(length) + " bytes but a " + dtypeName(dtype) +
                    " tensor of that shape needs " + std::to_string(need)};
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype));
    if (need) std::memcpy(t.data_ptr(), data, need);
    return wrapTensor(env, t);
  });
}

// toBuffer(t): ArrayBuffer holding a contiguous CPU copy of the data.
FN(ToBuffer) {
  return guarded(env, "toBuffer", [&]() -> napi_value {
    Args a(env, info);
    at::Tensor t = tensorOf(env, a[0]).detach().to(at::kCPU).contiguous();
    size_t n = t.numel() * t.element_size();
    void* out;
    napi_value ab;
    NAPI_OK(napi_create_arraybuffer(env, n, &out, &ab));
    if (n) std::memcpy(out, t.data_ptr(), n);
    return ab;
  });
}

void releaseViewTensor(node_api_basic_env, void*, void* hint) { delete static_cast<at::Tensor*>(hint); }

// dataView(t): ArrayBuffer over the tensor's own memory (contiguous CPU tensors only): writes go
// through to the tensor. The buffer keeps the storage alive.
FN(DataView) {
  return guarded(env, "dataView", [&]() -> napi_value {
    Args a(env, info);
    const at::Tensor& t = tensorOf(env, a[0]);
    if (!t.device().is_cpu()) throw JsError{"a view on the data needs a CPU tensor; copy it with .cpu() first"};
    if (!t.is_contiguous()) throw JsError{"a view on the data needs a contiguous tensor; call .contiguous() first"};
    size_t n = t.numel() * t.element_size();
    auto* keep = new at::Tensor(t);
    napi_value ab;
    void* ptr = n ? t.data_ptr() : nullptr;
    if (napi_create_external_arraybuffer(env, ptr, n, releaseViewTensor, keep, &ab) != napi_ok) {
      delete keep;
      throw JsError{"could not create a view on the tensor's memory"};
    }
    return ab;
  });
}

// ---------------------------------------------------------------------------------------------
// Autograd

FN(RequiresGrad) {
  return guarded(env, "requiresGrad", [&]() -> napi_value {
    Args a(env, info);
    return jsBool(env, tensorOf(env, a[0]).requires_grad());
  });
}

FN(SetRequiresGrad) {
  return guarded(env, "requiresGrad_", [&]() -> napi_value {
    Args a(env, info);
    at::Tensor t = tensorOf(env, a[0]);
    t.set_requires_grad(boolOf(env, a[1]));
    return jsUndefined(env);
  });
}

FN(Grad) {
  return guarded(env, "grad", [&]() -> napi_value {
    Args a(env, info);
    return wrapTensor(env, tensorOf(env, a[0]).grad());
  });
}

FN(SetGrad) {
  return guarded(env, "grad", [&]() -> napi_value {
    Args a(env, info);
    at::Tensor t = tensorOf(env, a[0]);
    napi_valuetype vt = typeOf(env, a[1]);
    if (vt == napi_null || vt == napi_undefined) t.mutable_grad() = at::Tensor();
    else t.mutable_grad() = tensorOf(env, a[1], "grad");
    return jsUndefined(env);
  });
}

// setData(t, src): PyTorch's `t.data = src` — the same tensor object takes src's data, dtype and
// device (what Module.to() does to parameters, so that references to them stay valid).
FN(SetData) {
  return guarded(env, "setData", [&]() -> napi_value {
    Args a(env, info);
    at::Tensor t = tensorOf(env, a[0], "self");
    t.set_data(tensorOf(env, a[1], "data"));
    return jsUndefined(env);
  });
}

// adamStep_(p, grad, gradAvg, sqrAvg, lr, mom, sqrMom, eps, wd, decoupleWd, debias1, debias2):
// fastai's Adam step in one pass (native/adam.h); false when the tensors do not allow it.
FN(AdamStep) {
  return guarded(env, "adamStep_", [&]() -> napi_value {
    Args a(env, info);
    at::Tensor p = tensorOf(env, a[0], "param");
    at::Tensor avg = tensorOf(env, a[2], "gradAvg");
    at::Tensor sqr = tensorOf(env, a[3], "sqrAvg");
    bool decouple = false;
    napi_get_value_bool(env, a[9], &decouple);
    owlet::AdamHypers h{numberOf(env, a[4]), numberOf(env, a[5]), numberOf(env, a[6]), numberOf(env, a[7]), numberOf(env, a[8]),
                        decouple, numberOf(env, a[10]), numberOf(env, a[11])};
    return jsBool(env, owlet::adamStepFused(p, tensorOf(env, a[1], "grad"), avg, sqr, h));
  });
}

FN(GradFn) {
  return guarded(env, "gradFn", [&]() -> napi_value {
    Args a(env, info);
    const auto& fn = tensorOf(env, a[0]).grad_fn();
    if (!fn) {
      napi_value n;
      napi_get_null(env, &n);
      return n;
    }
    std::string name = fn->name();
    auto pos = name.rfind("::");
    if (pos != std::string::npos) name = name.substr(pos + 2);
    return jsString(env, name);
  });
}

FN(IsLeaf) {
  return guarded(env, "isLeaf", [&]() -> napi_value {
    Args a(env, info);
    return jsBool(env, tensorOf(env, a[0]).is_leaf());
  });
}

FN(RetainGrad) {
  return guarded(env, "retainGrad", [&]() -> napi_value {
    Args a(env, info);
    tensorOf(env, a[0]).retain_grad();
    return jsUndefined(env);
  });
}

// backward(t, grad | null, retainGraph: boolean, createGraph: boolean)
FN(Backward) {
  Args a(env, info);
  try {
    at::Tensor t = tensorOf(env, a[0], "self");
    std::vector<at::Tensor> grads;
    if (a.argc > 1) {
      napi_valuetype vt = typeOf(env, a[1]);
      if (vt != napi_null && vt != napi_undefined) grads.push_back(tensorOf(env, a[1], "gradient"));
    }
    bool retain = a.argc > 2 && typeOf(env, a[2]) == napi_boolean && boolOf(env, a[2]);
    bool create = a.argc > 3 && typeOf(env, a[3]) == napi_boolean && boolOf(env, a[3]);
    torch::autograd::backward({t}, grads, retain, create);
    return jsUndefined(env);
  } catch (const JsError& e) {
    return throwError(env, "backward: " + e.message);
  } catch (const c10::Error& e) {
    return throwError(env, "backward" + describeArgs(env, nullptr, a.argv, std::min<size_t>(a.argc, 2)) + ": " + firstLines(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    return throwError(env, std::string("backward: ") + firstLines(e.what()));
  }
}

// setGradEnabled(bool): previous value
FN(SetGradEnabled) {
  return guarded(env, "setGradEnabled", [&]() -> napi_value {
    Args a(env, info);
    bool prev = at::GradMode::is_enabled();
    at::GradMode::set_enabled(boolOf(env, a[0]));
    return jsBool(env, prev);
  });
}

FN(IsGradEnabled) {
  return jsBool(env, at::GradMode::is_enabled());
}

// autocast(deviceType: 'cpu' | 'cuda', enabled: boolean, dtype: number): previous [enabled, dtype]
FN(SetAutocast) {
  return guarded(env, "autocast", [&]() -> napi_value {
    Args a(env, info);
    std::string dev = stringOf(env, a[0]);
    bool enabled = boolOf(env, a[1]);
    auto dtype = static_cast<c10::ScalarType>(static_cast<int>(numberOf(env, a[2])));
    bool prevEnabled;
    c10::ScalarType prevDtype;
    if (dev == "cpu") {
      prevEnabled = at::autocast::is_cpu_enabled();
      prevDtype = at::autocast::get_autocast_cpu_dtype();
      at::autocast::set_cpu_enabled(enabled);
      at::autocast::set_autocast_cpu_dtype(dtype);
    } else if (dev == "cuda") {
      prevEnabled = at::autocast::is_enabled();
      prevDtype = at::autocast::get_autocast_gpu_dtype();
      at::autocast::set_enabled(enabled);
      at::autocast::set_autocast_gpu_dtype(dtype);
    } else {
      throw JsError{"autocast runs on 'cpu' or 'cuda', not '" + dev + "'"};
    }
    napi_value arr;
    NAPI_OK(napi_create_array_with_length(env, 2, &arr));
    NAPI_OK(napi_set_element(env, arr, 0, jsBool(env, prevEnabled)));
    NAPI_OK(napi_set_element(env, arr, 1, jsNumber(env, static_cast<int>(prevDtype))));
    return arr;
  });
}

// autocastNesting(+1 | -1): enter or leave an autocast region; leaving the last clears its cache.
FN(AutocastNesting) {
  return guarded(env, "autocast", [&]() -> napi_value {
    Args a(env, info);
    if (numberOf(env, a[0]) > 0) at::autocast::increment_nesting();
    else if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    return jsUndefined(env);
  });
}

// ---------------------------------------------------------------------------------------------
// Global state

FN(ManualSeed) {
  return guarded(env, "manualSeed", [&]() -> napi_value {
    Args a(env, info);
    double d = numberOf(env, a[0]);
    at::manual_seed(static_cast<uint64_t>(static_cast<int64_t>(d)));
    return jsUndefined(env);
  });
}

FN(SetNumThreads) {
  return guarded(env, "setNumThreads", [&]() -> napi_value {
    Args a(env, info);
    int n = static_cast<int>(numberOf(env, a[0]));
    if (n < 1) throw JsError{"the number of threads must be at least 1"};
    at::set_num_threads(n);
    // at::set_num_threads leaves OpenBLAS's own pthread pool (Debian's libblas) at every core: its
    // threads then spin in sched_yield beside libtorch's on small matrices (a tabular batch ran
    // 1.5x slower on one thread). The same cap goes to OpenBLAS, found at run time, where it is.
    using SetBlasThreads = void (*)(int);
    static const auto setBlasThreads = reinterpret_cast<SetBlasThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (setBlasThreads != nullptr) setBlasThreads(n);
    return jsUndefined(env);
  });
}

FN(GetNumThreads) {
  return jsNumber(env, at::get_num_threads());
}

// OpenBLAS's thread count, or null where libtorch's BLAS is not OpenBLAS.
FN(BlasNumThreads) {
  using GetBlasThreads = int (*)();
  static const auto getBlasThreads = reinterpret_cast<GetBlasThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  if (getBlasThreads == nullptr) {
    napi_value n;
    napi_get_null(env, &n);
    return n;
  }
  return jsNumber(env, getBlasThreads());
}

FN(CudaAvailable) {
  return jsBool(env, at::hasCUDA() && at::globalContext().hasCUDA());
}

FN(MemoryStats) {
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "liveHandles", jsNumber(env, static_cast<double>(gLiveHandles.load())));
  napi_set_named_property(env, obj, "reportedBytes", jsNumber(env, static_cast<double>(gReportedBytes.load())));
  return obj;
}

owlet::CachingCpuAllocator* cpuCache() {
  // Cap: OWLET_CPU_CACHE_MB (default 1024 MiB); 0 turns the cache off.
  static owlet::CachingCpuAllocator* cache = [] {
    const char* env = std::getenv("OWLET_CPU_CACHE_MB");
    size_t mb = env ? static_cast<size_t>(std::strtoull(env, nullptr, 10)) : 1024;
    return new owlet::CachingCpuAllocator(mb * 1024 * 1024);
  }();
  return cache;
}

// cpuCache(action?: 'empty'): { cachedBytes }
FN(CpuCache) {
  return guarded(env, "cpuCache", [&]() -> napi_value {
    Args a(env, info);
    if (a.argc > 0 && typeOf(env, a[0]) == napi_string && stringOf(env, a[0]) == "empty") cpuCache()->emptyCache();
    napi_value obj;
    NAPI_OK(napi_create_object(env, &obj));
    NAPI_OK(napi_set_named_property(env, obj, "cachedBytes", jsNumber(env, static_cast<double>(cpuCache()->cachedBytes()))));
    return obj;
  });
}

FN(Version) {
  return jsString(env, TORCH_VERSION);
}

FN(ParallelInfo) {
  return jsString(env, at::get_parallel_info());
}

#define EXPORT(name, fn) {name, nullptr, fn, nullptr, nullptr, nullptr, napi_default, nullptr}

napi_value Init(napi_env env, napi_value exports) {
  if (!std::getenv("OWLET_CPU_CACHE_MB") || std::strtoull(std::getenv("OWLET_CPU_CACHE_MB"), nullptr, 10) > 0)
    c10::SetCPUAllocator(cpuCache(), /*priority=*/1);
  napi_property_descriptor props[] = {
      EXPORT("opHandle", OpHandle),
      EXPORT("call", Call),
      EXPORT("schemas", Schemas),
      EXPORT("add", Add),
      EXPORT("sub", Sub),
      EXPORT("mul", Mul),
      EXPORT("div", Div),
      EXPORT("sub_", SubInplace),
      EXPORT("add_", AddInplace),
      EXPORT("mul_", MulInplace),
      EXPORT("shape", Shape),
      EXPORT("strides", Strides),
      EXPORT("dim", Dim),
      EXPORT("numel", Numel),
      EXPORT("dtype", Dtype),
      EXPORT("device", DeviceOf),
      EXPORT("isContiguous", IsContiguous),
      EXPORT("isDisposed", IsDisposed),
      EXPORT("dispose", Dispose),
      EXPORT("item", Item),
      EXPORT("fromBuffer", FromBuffer),
      EXPORT("toBuffer", ToBuffer),
      EXPORT("dataView", DataView),
      EXPORT("requiresGrad", RequiresGrad),
      EXPORT("setRequiresGrad", SetRequiresGrad),
      EXPORT("grad", Grad),
      EXPORT("setGrad", SetGrad),
      EXPORT("gradFn", GradFn),
      EXPORT("setData", SetData),
      EXPORT("adamStep_", AdamStep),
      EXPORT("isLeaf", IsLeaf),
      EXPORT("retainGrad", RetainGrad),
      EXPORT("backward", Backward),
      EXPORT("setGradEnabled", SetGradEnabled),
      EXPORT("isGradEnabled", IsGradEnabled),
      EXPORT("setAutocast", SetAutocast),
      EXPORT("autocastNesting", AutocastNesting),
      EXPORT("manualSeed", ManualSeed),
      EXPORT("setNumThreads", SetNumThreads),
      EXPORT("getNumThreads", GetNumThreads),
      EXPORT("blasNumThreads", BlasNumThreads),
      EXPORT("cudaAvailable", CudaAvailable),
      EXPORT("memoryStats", MemoryStats),
      EXPORT("version", Version),
      EXPORT("cpuCache", CpuCache),
      EXPORT("parallelInfo", ParallelInfo),
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  owlet::defineDistributed(env, exports);
  return exports;
}

}  // namespace

// For native/distributed.cc: owlet's tensor handles.
namespace owlet {
at::Tensor tensorArg(napi_env env, napi_value v, const char* what) {
  try {
    return tensorOf(env, v, what);
  } catch (const JsError& e) {
    throw std::runtime_error(e.message);
  }
}
napi_value tensorValue(napi_env env, at::Tensor t) { return wrapTensor(env, std::move(t)); }
}  // namespace owlet

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
