// A caching CPU allocator for libtorch tensors, owlet's counterpart of PyTorch's CUDA caching
// allocator. Blocks of 64 KiB and more are rounded up to a size class (four classes per power of
// two) and kept on release for the next tensor of that class, up to a cap; smaller ones go straight
// to malloc. Without it, glibc carves small allocations out of freed tensor memory, so a loop that
// makes and drops large tensors grows without bound (seen here: 1 GB after 30,000 iterations of
// 1 MB tensors), and every fresh large block costs page faults.
#pragma once

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <cstdlib>
#include <map>
#include <unordered_map>
#include <mutex>
#include <vector>

namespace owlet {

class CachingCpuAllocator final : public c10::Allocator {
 public:
  static constexpr size_t kMinCached = 64 * 1024;

  explicit CachingCpuAllocator(size_t capBytes) : cap_(capBytes) { instance_ = this; }

  // libtorch's raw_allocate()/raw_deallocate() (oneDNN's scratch memory, for one) need a deleter that
  // takes the data pointer itself, so every DataPtr below has context == data.
  c10::DeleterFnPtr raw_deleter() const override { return &release; }

  c10::DataPtr allocate(size_t n) const override {
    if (n < kMinCached) {
      void* p = c10::alloc_cpu(n);
      return {p, p, &freeSmall, c10::Device(c10::DeviceType::CPU)};
    }
    size_t size = sizeClass(n);
    void* p = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = free_.find(size);
      if (it != free_.end() && !it->second.empty()) {
        p = it->second.back();
        it->second.pop_back();
        cached_ -= size;
      }
    }
    if (!p) p = c10::alloc_cpu(size);
    {
      std::lock_guard<std::mutex> lock(mu_);
      sizes_[p] = size;
    }
    return {p, p, &release, c10::Device(c10::DeviceType::CPU)};
  }

  // Hands the cached blocks back to the system.
  void emptyCache() const {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& kv : free_)
      for (void* p : kv.second) c10::free_cpu(p);
    free_.clear();
    cached_ = 0;
  }

  size_t cachedBytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cached_;
  }

  void setCap(size_t capBytes) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cap_ = capBytes;
    }
    if (cachedBytes() > capBytes) emptyCache();
  }

 private:
  struct Block {
    void* ptr;
    size_t size;
    const CachingCpuAllocator* owner;
  };

  static size_t sizeClass(size_t n) {
    // Four classes per power of two: 64K, 80K, 96K, 112K, 128K, 160K, ...
    size_t pow = 1;
    while (pow * 2 <= n) pow *= 2;
    size_t step = pow / 4;
    return (n + step - 1) / step * step;
  }

  static void freeSmall(void* p) { c10::free_cpu(p); }

  // Frees any pointer this allocator handed out: cached-size blocks go back to the cache.
  static void release(void* p) {
    const CachingCpuAllocator* self = instance_;
    size_t size = 0;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      auto it = self->sizes_.find(p);
      if (it == self->sizes_.end()) {
        c10::free_cpu(p);  // a small block
        return;
      }
      size = it->second;
      self->sizes_.erase(it);
    }
    self->put(p, size);
  }

  void put(void* p, size_t size) const {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (cached_ + size <= cap_) {
        free_[size].push_back(p);
        cached_ += size;
        return;
      }
    }
    c10::free_cpu(p);
  }

  static inline const CachingCpuAllocator* instance_ = nullptr;
  mutable std::mutex mu_;
  mutable std::unordered_map<void*, size_t> sizes_;
  mutable std::map<size_t, std::vector<void*>> free_;
  mutable size_t cached_ = 0;
  size_t cap_;
};

}  // namespace owlet
