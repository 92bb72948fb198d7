// XML exports and push bodies: the records are the elements named by
// mapping.xml_record, each turned into nested JSON objects so that the same
// field lookup serves every format. Private to the library.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace suqiu::workorder {

struct XmlRecord {
  nlohmann::json record;  // see element_to_json in xml_reader.cpp
  std::string raw;        // the element as written out again
  std::string problem;    // "" or why it cannot be mapped (nested too deep)
};

struct XmlDocument {
  std::vector<XmlRecord> records;
  std::optional<std::string> cursor;
  std::string problem;  // "" or why the document cannot be read at all
};

// `utf8` is the document converted to UTF-8 (its own encoding declaration is
// not followed: the caller converted it). `record_element` "" = the root
// element is the one record; `cursor_path` "" = none.
XmlDocument read_xml(std::string_view utf8, std::string_view record_element, std::string_view cursor_path);

// The charset an XML declaration names (<?xml version="1.0" encoding="GBK"?>), or "".
std::string xml_declared_encoding(std::string_view bytes);

}  // namespace suqiu::workorder
