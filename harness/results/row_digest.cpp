#include "results/row_digest.h"

#include <fmt/format.h>

#include <cstdint>

namespace bsweep {

namespace {

template <typename Field>
std::string digest_of(const std::vector<Field>& fields, std::size_t digest_column) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a offset basis
  const auto add = [&](unsigned char c) {
    hash ^= c;
    hash *= 1099511628211ull;  // FNV prime
  };
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i == digest_column) continue;
    for (unsigned char c : fields[i]) add(c);
    add(0x1f);  // a unit separator after each field: "ab","c" and "a","bc" differ
  }
  return fmt::format("{:016x}", hash);
}

}  // namespace

std::string row_digest(const std::vector<std::string>& fields, std::size_t digest_column) {
  return digest_of(fields, digest_column);
}

std::string row_digest(const std::vector<std::string_view>& fields, std::size_t digest_column) {
  return digest_of(fields, digest_column);
}

}  // namespace bsweep
