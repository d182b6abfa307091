// Linked into every test program, and compiled to nothing unless under ThreadSanitizer: librdkafka
// (not instrumented) uses C11 threads, mutexes and condition variables, which glibc implements by
// calling the pthread functions internally, out of reach of TSan's interceptors. TSan then crashes
// in the first allocation of a librdkafka thread, and cannot see the locks that order our delivery
// callbacks after the produce calls. Defining these C11 functions in the test executable routes
// librdkafka through the intercepted pthread functions (glibc's C11 types wrap the pthread ones).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define KAFKASINK_THREAD_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(KAFKASINK_THREAD_SANITIZER)
#include <cerrno>
#include <cstdint>
#include <memory>

#include <pthread.h>
#include <threads.h>

namespace {

struct ThreadStart {
  thrd_start_t function;
  void* argument;
};

void* run_thread_start(void* raw) {
  const std::unique_ptr<ThreadStart> start(static_cast<ThreadStart*>(raw));
  // C11's int result travels through the void* of pthreads, as glibc's own thrd_create does.
  return reinterpret_cast<void*>(static_cast<std::intptr_t>(start->function(start->argument)));
}

}  // namespace

extern "C" int thrd_create(thrd_t* thread, thrd_start_t function, void* argument) {
  auto start = std::make_unique<ThreadStart>(ThreadStart{function, argument});
  const int result = pthread_create(thread, nullptr, run_thread_start, start.get());
  if (result != 0) return result == ENOMEM ? thrd_nomem : thrd_error;
  start.release();  // owned by the new thread
  return thrd_success;
}

extern "C" int thrd_join(thrd_t thread, int* result) {
  void* returned = nullptr;
  if (pthread_join(thread, &returned) != 0) return thrd_error;
  if (result != nullptr) {
    *result = static_cast<int>(reinterpret_cast<std::intptr_t>(returned));
  }
  return thrd_success;
}

extern "C" int thrd_detach(thrd_t thread) {
  return pthread_detach(thread) == 0 ? thrd_success : thrd_error;
}

namespace {

pthread_mutex_t* native(mtx_t* mutex) {
  return reinterpret_cast<pthread_mutex_t*>(mutex);
}

pthread_cond_t* native(cnd_t* condition) {
  return reinterpret_cast<pthread_cond_t*>(condition);
}

int c11_result(int result) {
  if (result == 0) return thrd_success;
  if (result == ETIMEDOUT) return thrd_timedout;
  if (result == EBUSY) return thrd_busy;
  return result == ENOMEM ? thrd_nomem : thrd_error;
}

}  // namespace

extern "C" int mtx_init(mtx_t* mutex, int type) {
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  if ((type & mtx_recursive) != 0) pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
  const int result = pthread_mutex_init(native(mutex), &attributes);
  pthread_mutexattr_destroy(&attributes);
  return c11_result(result);
}

extern "C" int mtx_lock(mtx_t* mutex) {
  return c11_result(pthread_mutex_lock(native(mutex)));
}

extern "C" int mtx_trylock(mtx_t* mutex) {
  return c11_result(pthread_mutex_trylock(native(mutex)));
}

extern "C" int mtx_timedlock(mtx_t* __restrict mutex, const struct timespec* __restrict until) {
  return c11_result(pthread_mutex_timedlock(native(mutex), until));
}

extern "C" int mtx_unlock(mtx_t* mutex) {
  return c11_result(pthread_mutex_unlock(native(mutex)));
}

extern "C" void mtx_destroy(mtx_t* mutex) {
  pthread_mutex_destroy(native(mutex));
}

extern "C" int cnd_init(cnd_t* condition) {
  return c11_result(pthread_cond_init(native(condition), nullptr));
}

extern "C" int cnd_signal(cnd_t* condition) {
  return c11_result(pthread_cond_signal(native(condition)));
}

extern "C" int cnd_broadcast(cnd_t* condition) {
  return c11_result(pthread_cond_broadcast(native(condition)));
}

extern "C" int cnd_wait(cnd_t* condition, mtx_t* mutex) {
  return c11_result(pthread_cond_wait(native(condition), native(mutex)));
}

extern "C" int cnd_timedwait(cnd_t* __restrict condition,
                             mtx_t* __restrict mutex,
                             const struct timespec* __restrict until) {
  return c11_result(pthread_cond_timedwait(native(condition), native(mutex), until));
}

extern "C" void cnd_destroy(cnd_t* condition) {
  pthread_cond_destroy(native(condition));
}
#endif
