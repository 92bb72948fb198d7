// How the console's request thread hands a completion to the window thread:
// wx's event queue (CallAfter is safe from any thread). Whether the window
// that asked still lives is for the completion to check (Lifetime::guard).
#pragma once

#include <wx/app.h>

#include <functional>

#include "model/request_runner.h"

namespace suqiu::console {

inline PostToUi post_to_window_thread() {
  return [](std::function<void()> completion) {
    if (auto* app = wxTheApp) app->CallAfter(std::move(completion));
  };
}

}  // namespace suqiu::console
