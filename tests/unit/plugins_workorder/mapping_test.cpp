// The mappings: the two shipped files load and say what the feeds rely on,
// and a table of broken ones, each refused with the key at fault named.
#include "workorder/mapping.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "workorder_samples.h"

namespace suqiu::workorder {
namespace {

using testing::shipped;

TEST(WorkorderMapping, Shipped12345Loads) {
  const Mapping& m = shipped("12345");
  EXPECT_EQ(m.source, "12345");
  EXPECT_EQ(m.fields.at("gdbh"), "external_id");
  EXPECT_EQ(m.fields.at("ldsj"), "received_at");
  EXPECT_EQ(m.fields.at("nr"), "content");
  EXPECT_EQ(m.request_types.at("投诉"), "complaint");
  EXPECT_EQ(m.categories.at("出租车"), "taxi");
  EXPECT_EQ(m.notice_type_field, "xxlx");
  EXPECT_EQ(m.notice_kinds.size(), 6u);
  EXPECT_EQ(m.step_kinds.size(), 5u);
  EXPECT_EQ(m.step_kinds.at("closed"), "BJ");
  EXPECT_EQ(m.items_path, "data.list");
  EXPECT_EQ(m.xml_record, "gd");
  EXPECT_EQ(m.csv_delimiter, ',');
}

TEST(WorkorderMapping, Shipped12328Loads) {
  const Mapping& m = shipped("12328");
  EXPECT_EQ(m.source, "12328");
  EXPECT_EQ(m.fields.at("appealer.name"), "caller.name");
  EXPECT_EQ(m.categories.at("0101"), "taxi");
  EXPECT_EQ(m.categories.at("0102"), "ride_hailing");
  EXPECT_EQ(m.categories.at("0201"), "bus");
  EXPECT_EQ(m.categories.at("0301"), "coach");
  EXPECT_EQ(m.categories.at("0402"), "freight");
  EXPECT_FALSE(m.categories.contains("0202"));  // 城市轨道交通: the classifier decides
  EXPECT_EQ(m.notice_kinds.size(), 6u);
  EXPECT_EQ(m.step_kinds.at("signed_for"), "10");
  EXPECT_EQ(m.attachment_fields.at("fileUrl"), "uri");
}

// The same mapping inside a feed's own section, as a feed config holds it.
TEST(WorkorderMapping, FeedSectionHoldingAMappingTable) {
  const auto t = toml::parse(R"(
[feed]
listen = "127.0.0.1:8345"
[feed.mapping]
source = "12345"
[feed.mapping.fields]
id = "external_id"
time = "received_at"
text = "content"
)");
  const Mapping m = load_mapping(*t["feed"].as_table());
  EXPECT_EQ(m.fields.size(), 3u);
  // No attachment_fields given: the usual names.
  EXPECT_EQ(m.attachment_fields.at("url"), "uri");
}

struct BadRow {
  const char* quirk;
  std::string toml;
  std::string names;  // the key the error must name
};

const std::string kMinimal = R"(source = "12345"
[fields]
gdbh = "external_id"
ldsj = "received_at"
nr = "content"
)";

std::vector<BadRow> bad_rows() {
  return {
      // A typo in a key would otherwise silently drop a whole table.
      {"unknown key", "categorys = {}\n" + kMinimal, "mapping.categorys"},
      {"no source", "[fields]\ngdbh = \"external_id\"\nldsj = \"received_at\"\nnr = \"content\"\n", "mapping.source"},
      // The hub refuses sources with capitals on every record; refuse it here, once.
      {"capital source", "source = \"City12345\"\n[fields]\ngdbh = \"external_id\"\n", "mapping.source"},
      {"content not mapped", "source = \"12345\"\n[fields]\ngdbh = \"external_id\"\nldsj = \"received_at\"\n",
       "mapping.fields"},
      {"not an intake field", kMinimal + "bt = \"title\"\n", "mapping.fields.bt"},
      {"upstream.record is the feed's own", kMinimal + "yy = \"upstream.record\"\n", "mapping.fields.yy"},
      // A category the hub's taxonomy lacks would be refused on every record.
      {"unknown category", kMinimal + "[categories]\n\"01\" = \"taxis\"\n", "mapping.categories.01"},
      {"Chinese request type", kMinimal + "[request_types]\n\"1\" = \"投诉\"\n", "mapping.request_types.1"},
      {"bad time format", "time_formats = [\"%Y-%m-%d %H:%M:%S\", \"%d.%m.%y\"]\n" + kMinimal,
       "mapping.time_formats[1]"},
      {"time formats not a list", "time_formats = \"%Y\"\n" + kMinimal, "mapping.time_formats"},
      {"a number in a table", kMinimal + "[request_types]\n\"1\" = 1\n", "mapping.request_types.1"},
      {"notice kinds without a type field", kMinimal + "[notice_kinds]\n\"催办\" = \"reminder\"\n",
       "mapping.notice_type_field"},
      {"unknown notice kind", "notice_type_field = \"xxlx\"\n" + kMinimal +
                                  "[notice_kinds]\n\"催办\" = \"urge\"\n[notice_fields]\ngdbh = \"external_id\"\n",
       "mapping.notice_kinds"},
      {"notice without its time", "notice_type_field = \"xxlx\"\n" + kMinimal +
                                      "[notice_kinds]\n\"催办\" = \"reminder\"\n[notice_fields]\ngdbh = \"external_id\"\n",
       "mapping.notice_fields"},
      {"satisfaction code", kMinimal + "[satisfaction]\n\"满意\" = \"happy\"\n", "mapping.satisfaction"},
      {"approved not a boolean text", kMinimal + "[approved]\n\"同意\" = \"yes\"\n", "mapping.approved"},
      {"unknown step kind", kMinimal + "[step_kinds]\nsign = \"QS\"\n", "mapping.step_kinds.sign"},
      {"step field not a RESULT key", kMinimal + "[step_fields]\nanswer = \"fknr\"\n", "mapping.step_fields.answer"},
      // "data" and "data.gdbh" cannot both be written.
      {"step fields overlap", kMinimal + "[step_fields]\nexternal_id = \"data\"\nreply = \"data.fknr\"\n",
       "mapping.step_fields"},
      {"two-character delimiter", "csv_delimiter = \";;\"\n" + kMinimal, "mapping.csv_delimiter"},
      {"attachment member", kMinimal + "[attachment_fields]\nwjdz = \"url\"\n", "mapping.attachment_fields.wjdz"},
  };
}

TEST(WorkorderMapping, BadMappingsNameTheKey) {
  for (const auto& row : bad_rows()) {
    SCOPED_TRACE(row.quirk);
    toml::table wrapped;
    const auto t = toml::parse(row.toml);
    wrapped.insert("mapping", t);
    try {
      (void)load_mapping(wrapped);
      ADD_FAILURE() << "accepted";
    } catch (const MappingError& e) {
      EXPECT_NE(std::string(e.what()).find(row.names), std::string::npos) << e.what();
    }
  }
}

TEST(WorkorderMapping, FileErrorsNameTheFile) {
  EXPECT_THROW(load_mapping_file(SUQIU_WORKORDER_MAPPINGS "/12345.toml", "nosuch"), MappingError);
  try {
    (void)load_mapping_file(SUQIU_WORKORDER_MAPPINGS "/no-such-platform.toml", "");
    ADD_FAILURE() << "accepted";
  } catch (const MappingError& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-platform.toml"), std::string::npos) << e.what();
  }
}

TEST(WorkorderMapping, Formats) {
  EXPECT_EQ(parse_format("JSON"), Format::json);
  EXPECT_EQ(parse_format("csv"), Format::csv);
  EXPECT_EQ(parse_format("xml"), Format::xml);
  EXPECT_FALSE(parse_format("xlsx"));
}

}  // namespace
}  // namespace suqiu::workorder
