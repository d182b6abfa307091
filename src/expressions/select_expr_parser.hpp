// The parser of select_expr's SQL subset (the grammar is in expressions.hpp).
//
// A hand-written recursive-descent parser over the text: there is no separate token stream,
// so every error can point at the exact character where the text stopped making sense.
#pragma once

#include <string_view>

#include <kafkasink/expressions.hpp>

namespace kafkasink::detail {

/// Parses one select_expr expression. Throws AnalysisError
/// "Syntax error in expression '<sql>' at position <n>: <what was expected>", positions
/// counted from 0.
Column parse_select_expr(std::string_view sql);

}  // namespace kafkasink::detail
