// Inside hub/export: an open libxlsxwriter workbook that is closed whatever
// happens, and whose failure to write names the file.
#pragma once

#include <xlsxwriter.h>

#include <filesystem>
#include <stdexcept>

namespace suqiu::exporting {

struct Workbook {
  lxw_workbook* book;
  std::filesystem::path file;
  explicit Workbook(const std::filesystem::path& f) : book(workbook_new(f.c_str())), file(f) {
    if (!book) throw std::runtime_error("cannot create " + f.string());
  }
  ~Workbook() {
    if (book) workbook_close(book);
  }
  void close() {
    const lxw_error e = workbook_close(book);
    book = nullptr;
    if (e != LXW_NO_ERROR) throw std::runtime_error("cannot write " + file.string() + ": " + lxw_strerror(e));
  }
};

}  // namespace suqiu::exporting
