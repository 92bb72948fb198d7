# cmake -DIN=train.jsonl -DOUT=embedded_corpus.cpp -P embed_corpus.cmake
# Writes the corpus as one raw string literal (the JSONL never contains the
# delimiter), so the library carries its own training data.
file(READ ${IN} corpus)
string(FIND "${corpus}" ")SUQIU_CORPUS\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter")
endif()
file(WRITE ${OUT} "// Generated from ${IN} by embed_corpus.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace suqiu::classify::detail {\n"
  "extern const std::string_view kEmbeddedTrainCorpus;\n"
  "const std::string_view kEmbeddedTrainCorpus = R\"SUQIU_CORPUS(${corpus})SUQIU_CORPUS\";\n"
  "}\n")
