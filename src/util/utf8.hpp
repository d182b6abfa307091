// UTF-8 as Java sees it. Spark holds strings as UTF-8 bytes but turns them into Java Strings
// wherever text is decoded (the CSV reader, show, to_json), and Java's decoder replaces each
// malformed sequence by U+FFFD with its own rule for where a sequence ends. These helpers
// reproduce that rule, and the UTF-16 view (lengths, widths) that `show` measures text in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kafkasink::detail {

/// Whether `bytes` is well-formed UTF-8 (simdjson's validator: many GB/s, so valid text costs
/// next to nothing on the way to the rewrite below).
bool is_valid_utf8(std::string_view bytes) noexcept;

/// `bytes` decoded as Java 17's `new String(bytes, UTF_8)` does and encoded back to UTF-8:
/// every malformed sequence becomes U+FFFD (EF BF BD). Where one sequence ends is Java's rule,
/// not Unicode's "maximal subpart": `ok\xFFok` gives one U+FFFD, `\xC0\x80` two, an encoded
/// surrogate `\xED\xA0\x80` one, `\xF4\x90\x80\x80` (beyond U+10FFFF) four, a truncated
/// `\xE2\x82` one. ASCII bytes always survive, so a line split before or after agrees.
std::string replace_malformed_utf8(std::string_view bytes);

/// `replace_malformed_utf8` only when needed: returns `bytes` itself when it is valid,
/// otherwise the repaired copy, stored in `storage`.
std::string_view valid_utf8(std::string_view bytes, std::string& storage);

/// `text` with characters that print as nothing (or as an ordinary space) spelled as Java
/// escapes, `\uFEFF`, `\u200B`, `\u0000`, so that a message naming a column shows them.
/// A backslash stays as it is; bytes that are not UTF-8 are `\xFF`.
std::string escape_invisible(std::string_view text);

}  // namespace kafkasink::detail
