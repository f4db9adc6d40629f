// The digest a runs.csv row carries in its last column, row_digest: 16 hex digits of the 64-bit FNV-1a hash of the
// row's other fields as written, in header order. A row edited after its run (a metric retyped, a status changed,
// a copy torn) no longer matches it, and every reader refuses the row. It guards against edits and damage, not
// against someone who recomputes it on purpose: it is a checksum, not a signature.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bsweep {

// The digest of `fields`, the field at `digest_column` left out.
std::string row_digest(const std::vector<std::string>& fields, std::size_t digest_column);
std::string row_digest(const std::vector<std::string_view>& fields, std::size_t digest_column);

}  // namespace bsweep
