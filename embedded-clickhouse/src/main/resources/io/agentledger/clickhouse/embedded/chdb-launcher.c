/*
 * Runs clickhouse-local out of libchdb in its own process:
 *
 *   chdb-launcher /path/to/libchdb.so [clickhouse-local arguments...]
 *
 * libchdb is the ClickHouse engine as a shared library; chdb_query_cmdline() is clickhouse-local's
 * main(). It returns once the last query ends, with the output buffered, which it writes to stdout
 * (errors to stderr, exit status 1). Compiled by LocalClickHouse: gcc -O2 -o launcher this.c -ldl.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef void *(*query_cmdline_fn)(int, char **);
typedef const char *(*result_error_fn)(void *);
typedef char *(*result_buffer_fn)(void *);
typedef size_t (*result_length_fn)(void *);

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s /path/to/libchdb.so [clickhouse-local arguments...]\n", argv[0]);
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
  if (lib == NULL) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 2;
  }
  query_cmdline_fn query = (query_cmdline_fn)dlsym(lib, "chdb_query_cmdline");
  result_error_fn error = (result_error_fn)dlsym(lib, "chdb_result_error");
  result_buffer_fn buffer = (result_buffer_fn)dlsym(lib, "chdb_result_buffer");
  result_length_fn length = (result_length_fn)dlsym(lib, "chdb_result_length");
  if (query == NULL || error == NULL || buffer == NULL || length == NULL) {
    fprintf(stderr, "%s lacks the chdb entry points: %s\n", argv[1], dlerror());
    return 2;
  }
  argv[1] = "clickhouse"; /* clickhouse-local reads its name from argv[0] */
  void *result = query(argc - 1, argv + 1);
  if (result == NULL) {
    fprintf(stderr, "clickhouse-local returned no result\n");
    return 1;
  }
  const char *message = error(result);
  if (message != NULL && message[0] != '\0') {
    fprintf(stderr, "%s\n", message);
    return 1;
  }
  fwrite(buffer(result), 1, length(result), stdout);
  return 0;
}
