# Writes OUTPUT: a C++ source defining `std::string_view SYMBOL()` that returns the bytes of INPUT.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
math(EXPR length "${hex_length} / 2")
file(WRITE ${OUTPUT}.tmp
  "// Generated from ${INPUT} by cmake/embed_file.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace ${NAMESPACE} {\n"
  "namespace { constexpr char kBytes[] = {${bytes} '\\0'}; }\n"
  "std::string_view ${SYMBOL}() { return {kBytes, ${length}}; }\n"
  "}\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
