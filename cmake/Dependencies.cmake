# One place that finds every third-party package (all from Debian 12) and
# exposes each as an imported target named suqiu::dep::<name>.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(cppzmq REQUIRED)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)

pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(PUGIXML REQUIRED IMPORTED_TARGET pugixml)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)  # the HTTP-facing feeds

add_library(suqiu::dep::sqlite ALIAS PkgConfig::SQLITE3)
add_library(suqiu::dep::sodium ALIAS PkgConfig::SODIUM)
add_library(suqiu::dep::systemd ALIAS PkgConfig::SYSTEMD)
add_library(suqiu::dep::xlsxwriter ALIAS PkgConfig::XLSXWRITER)
add_library(suqiu::dep::pugixml ALIAS PkgConfig::PUGIXML)
add_library(suqiu::dep::httplib ALIAS PkgConfig::HTTPLIB)

if(SUQIU_BUILD_TESTS OR SUQIU_BUILD_BENCH)
  find_package(GTest REQUIRED)
  find_package(benchmark REQUIRED)
endif()

# The console: wxWidgets 3.2 (GTK 3) from libwxgtk3.2-dev.
find_package(wxWidgets 3.2 REQUIRED COMPONENTS core base)
add_library(suqiu_dep_wx INTERFACE)
target_include_directories(suqiu_dep_wx SYSTEM INTERFACE ${wxWidgets_INCLUDE_DIRS})
target_compile_definitions(suqiu_dep_wx INTERFACE ${wxWidgets_DEFINITIONS})
target_compile_options(suqiu_dep_wx INTERFACE ${wxWidgets_CXX_FLAGS})
target_link_libraries(suqiu_dep_wx INTERFACE ${wxWidgets_LIBRARIES})
add_library(suqiu::dep::wx ALIAS suqiu_dep_wx)
