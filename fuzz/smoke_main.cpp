// The driver that runs a fuzz target without libFuzzer: the short smoke run of `./run test`.
//
// `./run fuzz` builds each target with clang's libFuzzer and searches for long (coverage-guided,
// minutes per target). The test build links the same LLVMFuzzerTestOneInput to this main instead,
// under gcc's ASan+UBSan, and CTest runs it: every seed in the corpus, then deterministic
// mutations of them (bit flips, byte edits, insertions, erasures, copies, splices, truncations)
// until a number of runs or a time budget is spent. Any crash, sanitizer report or hang leaves the
// input that caused it in the crash folder, named for the target, so that
//   <target> --replay FILE
// reproduces it (a libFuzzer build takes the same file as its argument).
//
//   <target> CORPUS_DIR [--runs N] [--seconds S] [--seed K] [--crash-dir DIR]
//   <target> --replay FILE...
//
// Defaults: 5000 runs, 20 seconds (whichever comes first), seed 1, crash folder ".". Inputs are
// at most 65,536 bytes, as in `./run fuzz`.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr std::size_t kMaxLength = 65536;  // bytes, the -max_len of ./run fuzz
constexpr unsigned kTimeoutSeconds = 10;   // one input, the -timeout of ./run fuzz

// The input being run, kept where a signal handler can reach it without allocating.
const std::uint8_t* g_data = nullptr;
std::size_t g_size = 0;
char g_crash_path[4096] = {};

// Writes the current input to g_crash_path; async-signal-safe (open, write, close only).
void save_current_input() {
  if (g_crash_path[0] == '\0') return;
  const int fd = ::open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  std::size_t written = 0;
  while (written < g_size) {
    const ssize_t n = ::write(fd, g_data + written, g_size - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  const char message[] = "\nfuzz smoke: the input that failed is in ";
  (void)!::write(2, message, sizeof message - 1);
  (void)!::write(2, g_crash_path, std::strlen(g_crash_path));
  (void)!::write(2, "\n", 1);
}

extern "C" void on_fatal_signal(int signal_number) {
  if (signal_number == SIGALRM) {
    const char message[] = "\nfuzz smoke: one input ran past the timeout (10 s)";
    (void)!::write(2, message, sizeof message - 1);
  }
  save_current_input();
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number == SIGALRM ? SIGABRT : signal_number);
}

void run_one(const std::vector<std::uint8_t>& input) {
  g_data = input.data();
  g_size = input.size();
  ::alarm(kTimeoutSeconds);
  LLVMFuzzerTestOneInput(input.data(), input.size());
  ::alarm(0);
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (bytes.size() > kMaxLength) bytes.resize(kMaxLength);
  return bytes;
}

// xorshift64*: small, fast and the same on every machine, so a seed names one sequence of inputs.
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ULL;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

// One mutation of `input`, with `other` (another corpus entry) for splices. The operations are the
// simple ones of libFuzzer's MutationDispatcher: enough to walk a parser's error paths from valid
// seeds, which is what a smoke run is for.
void mutate(std::vector<std::uint8_t>& input, const std::vector<std::uint8_t>& other, Rng& rng) {
  static constexpr std::uint8_t kInteresting[] = {0x00, 0x01, 0x7f, 0x80, 0xff, '0', '9',
                                                  ':',  ';',  '|',  '\n', ' ',  '-', '.'};
  const std::size_t size = input.size();
  switch (rng.below(9)) {
    case 0:  // flip one bit
      if (size > 0) input[rng.below(size)] ^= static_cast<std::uint8_t>(1u << rng.below(8));
      break;
    case 1:  // set one byte to anything
      if (size > 0) input[rng.below(size)] = static_cast<std::uint8_t>(rng.next());
      break;
    case 2:  // set one byte to a value parsers treat specially
      if (size > 0) input[rng.below(size)] = kInteresting[rng.below(std::size(kInteresting))];
      break;
    case 3:  // insert a byte
      if (size < kMaxLength) {
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(rng.below(size + 1)),
                     kInteresting[rng.below(std::size(kInteresting))]);
      }
      break;
    case 4: {  // erase a range
      if (size == 0) break;
      const std::size_t at = rng.below(size);
      const std::size_t n = 1 + rng.below(std::min<std::size_t>(size - at, 16));
      input.erase(input.begin() + static_cast<std::ptrdiff_t>(at),
                  input.begin() + static_cast<std::ptrdiff_t>(at + n));
      break;
    }
    case 5: {  // copy a range over another place
      if (size < 2) break;
      const std::size_t from = rng.below(size), to = rng.below(size);
      const std::size_t n = 1 + rng.below(std::min(size - from, size - to));
      std::memmove(input.data() + to, input.data() + from, n);
      break;
    }
    case 6: {  // duplicate a range in place (repeats what a format allows once)
      if (size == 0) break;
      const std::size_t at = rng.below(size);
      const std::size_t n = 1 + rng.below(std::min<std::size_t>(size - at, 64));
      if (size + n > kMaxLength) break;
      const std::vector<std::uint8_t> piece(input.begin() + static_cast<std::ptrdiff_t>(at),
                                            input.begin() + static_cast<std::ptrdiff_t>(at + n));
      input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), piece.begin(), piece.end());
      break;
    }
    case 7: {  // splice: a head of this input and a tail of another
      if (other.empty()) break;
      const std::size_t head = rng.below(size + 1), tail = rng.below(other.size());
      input.resize(head);
      input.insert(input.end(), other.begin() + static_cast<std::ptrdiff_t>(tail), other.end());
      if (input.size() > kMaxLength) input.resize(kMaxLength);
      break;
    }
    default:  // truncate
      input.resize(rng.below(size + 1));
      break;
  }
}

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s CORPUS_DIR [--runs N] [--seconds S] [--seed K] [--crash-dir DIR]\n"
               "       %s --replay FILE...\n",
               program, program);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(argv[0]);
  const std::string name = std::filesystem::path(argv[0]).filename().string();
  for (const int s : {SIGILL, SIGABRT, SIGFPE, SIGBUS, SIGSEGV, SIGALRM}) {
    std::signal(s, on_fatal_signal);
  }
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_set_death_callback(save_current_input);
#endif

  if (std::string(argv[1]) == "--replay") {
    for (int i = 2; i < argc; ++i) {
      const auto bytes = read_bytes(argv[i]);
      std::printf("%s: replaying %s (%zu bytes)\n", name.c_str(), argv[i], bytes.size());
      run_one(bytes);
    }
    std::printf("%s: no failure\n", name.c_str());
    return 0;
  }

  const std::filesystem::path corpus_dir = argv[1];
  long runs = 5000;
  double seconds = 20;
  std::uint64_t seed = 1;
  std::filesystem::path crash_dir = ".";
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--runs") {
      runs = std::strtol(value, nullptr, 10);
    } else if (flag == "--seconds") {
      seconds = std::strtod(value, nullptr);
    } else if (flag == "--seed") {
      seed = std::strtoull(value, nullptr, 10);
    } else if (flag == "--crash-dir") {
      crash_dir = value;
    } else {
      return usage(argv[0]);
    }
  }
  if ((argc - 2) % 2 != 0) return usage(argv[0]);

  std::vector<std::vector<std::uint8_t>> corpus;
  std::error_code ec;
  if (std::filesystem::is_directory(corpus_dir, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(corpus_dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // the same order, so the same mutations, everywhere
    for (const auto& file : files)
      corpus.push_back(read_bytes(file));
  }
  if (corpus.empty()) corpus.emplace_back();  // no seeds: start from the empty input

  std::filesystem::create_directories(crash_dir, ec);
  const std::string crash_path = (crash_dir / (name + "-crash.bin")).string();
  std::snprintf(g_crash_path, sizeof g_crash_path, "%s", crash_path.c_str());

  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  long done = 0;
  for (const auto& seed_input : corpus) {
    run_one(seed_input);
    ++done;
  }
  // FNV-1a of the target's name: each target walks its own sequence, the same on every machine.
  std::uint64_t name_hash = 14695981039346656037ULL;
  for (const char c : name)
    name_hash = (name_hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  Rng rng{seed * 0x9E3779B97F4A7C15ULL + name_hash + 1};
  while (done < runs && elapsed() < seconds) {
    std::vector<std::uint8_t> input = corpus[rng.below(corpus.size())];
    const auto& other = corpus[rng.below(corpus.size())];
    // Up to four stacked mutations: one alone rarely leaves a format's first check behind.
    const std::size_t count = 1 + rng.below(4);
    for (std::size_t m = 0; m < count; ++m)
      mutate(input, other, rng);
    run_one(input);
    ++done;
  }
  std::printf("%s: %ld inputs (%zu seeds, then mutations) in %.1f s, no failure\n", name.c_str(),
              done, corpus.size(), elapsed());
  return 0;
}
