#include "workorder/xml_reader.h"

#include <sstream>

#include <pugixml.hpp>

#include "workorder/work_order_parser.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string text_of(const pugi::xml_node& node) {
  std::string text;
  for (const auto& child : node.children())
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
  return text;
}

// <bt>拒载</bt> -> "拒载"; an element with child elements or attributes -> an
// object: attributes as "@name", children by name (a name that repeats -> an
// array, in document order), its own non-blank text as "#text". nullopt when
// deeper than kMaxNesting.
std::optional<json> element_to_json(const pugi::xml_node& node, std::size_t depth) {
  if (depth > kMaxNesting) return std::nullopt;
  const bool has_elements = static_cast<bool>(node.find_child([](const pugi::xml_node& n) {
    return n.type() == pugi::node_element;
  }));
  const std::string text = text_of(node);
  if (!has_elements && node.attributes().empty()) return json(text);
  json o = json::object();
  for (const auto& attribute : node.attributes()) o[std::string("@") + attribute.name()] = attribute.value();
  for (const auto& child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    auto value = element_to_json(child, depth + 1);
    if (!value) return std::nullopt;
    auto it = o.find(child.name());
    if (it == o.end()) {
      o[child.name()] = std::move(*value);
    } else {
      // A repeated name becomes an array at its second occurrence.
      if (!it->is_array()) *it = json::array({std::move(*it)});
      it->push_back(std::move(*value));
    }
  }
  if (!blank(text)) o["#text"] = text;
  return o;
}

std::size_t depth_of(const pugi::xml_node& node) {
  std::size_t depth = 0;
  for (auto p = node.parent(); p && p.type() == pugi::node_element; p = p.parent()) ++depth;
  return depth;
}

void collect(const pugi::xml_node& node, std::string_view name, std::vector<pugi::xml_node>& out) {
  // Iterative, so that no nesting exhausts the stack; a record's own
  // descendants are not searched (a <gd> inside a <gd> is part of it).
  std::vector<pugi::xml_node> stack{node};
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    if (n.type() == pugi::node_element && name == n.name()) {
      out.push_back(n);
      continue;
    }
    std::vector<pugi::xml_node> children;
    for (const auto& child : n.children())
      if (child.type() == pugi::node_element) children.push_back(child);
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
}

}  // namespace

XmlDocument read_xml(std::string_view utf8, std::string_view record_element, std::string_view cursor_path) {
  XmlDocument doc;
  pugi::xml_document xml;
  // No DOCTYPE entities are expanded (pugixml never fetches or defines them).
  const pugi::xml_parse_result parsed =
      xml.load_buffer(utf8.data(), utf8.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    doc.problem = std::string("not XML: ") + parsed.description() + " at byte " + std::to_string(parsed.offset);
    return doc;
  }
  const pugi::xml_node root = xml.document_element();
  if (!root) {
    doc.problem = "not XML: no root element";
    return doc;
  }
  std::vector<pugi::xml_node> nodes;
  if (record_element.empty()) nodes.push_back(root);
  else collect(xml, record_element, nodes);
  if (nodes.empty() && root.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; })) {
    doc.problem = "no <" + std::string(record_element) + "> element (mapping.xml_record) in <" + root.name() + ">";
    return doc;
  }
  for (const auto& node : nodes) {
    XmlRecord r;
    std::ostringstream out;
    node.print(out, "", pugi::format_raw);
    r.raw = out.str();
    auto value = element_to_json(node, depth_of(node));
    if (value) r.record = std::move(*value);
    else r.problem = "elements nested deeper than " + std::to_string(kMaxNesting);
    doc.records.push_back(std::move(r));
  }
  if (!cursor_path.empty()) {
    // data.next or data/next, from the root element (which may be named or not).
    pugi::xml_node at = root;
    std::string_view path = cursor_path;
    bool first = true;
    while (at && !path.empty()) {
      const auto cut = path.find_first_of("./");
      const std::string name(path.substr(0, cut));
      path = cut == std::string_view::npos ? std::string_view() : path.substr(cut + 1);
      if (first && name == root.name() && !root.child(name.c_str())) {
        first = false;
        continue;
      }
      first = false;
      at = at.child(name.c_str());
    }
    if (at && path.empty()) {
      std::string text = text_of(at);
      if (!blank(text)) doc.cursor = std::move(text);
    }
  }
  return doc;
}

std::string xml_declared_encoding(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (!bytes.starts_with("<?xml")) return {};
  const std::string_view decl = bytes.substr(0, bytes.find("?>"));
  const auto at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  auto quote = decl.find_first_of("\"'", at);
  if (quote == std::string_view::npos) return {};
  const auto end = decl.find(decl[quote], quote + 1);
  if (end == std::string_view::npos) return {};
  return std::string(decl.substr(quote + 1, end - quote - 1));
}

}  // namespace suqiu::workorder
