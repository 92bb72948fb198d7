#include "first_user_dialog.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "store/passwords.h"
#include "form_parts.h"
#include "ui_text.h"

namespace suqiu::console {
namespace {
// Operator first: in a single office the first user is usually the one who takes the calls.
const char* const kRoles[] = {"operator", "leader", "admin"};
}  // namespace

FirstUserDialog::FirstUserDialog(wxWindow* parent, AddUser add_user)
    : wxDialog(parent, wxID_ANY, ui(words()("创建第一个用户", "Create the first user"))),
      add_user_(std::move(add_user)) {
  const Words& w = words();
  auto* intro = new wxStaticText(this, wxID_ANY,
                                 ui(w("这个数据目录还没有用户。请创建第一个用户，之后可用 suqiu user add 添加其他人。",
                                      "This data folder has no users yet. Create the first; add others later with suqiu user add.")));
  intro->Wrap(420);
  auto* grid = new wxFlexGridSizer(2, 8, 8);
  grid->AddGrowableCol(1);
  auto row = [&](std::string_view zh, std::string_view en, wxWindow* control) {
    grid->Add(new wxStaticText(this, wxID_ANY, ui(w(zh, en))), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(control, 1, wxEXPAND);
  };
  name_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(240, -1));
  row("用户名", "User", name_);
  role_ = new wxChoice(this, wxID_ANY);
  for (const char* role : kRoles) role_->Append(ui(w.role(role)));
  role_->SetSelection(0);
  row("角色", "Role", role_);
  password_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
  row("密码（至少 8 位）", "Password (8 or more)", password_);
  repeated_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
  row("再输一次", "Again", repeated_);
  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(intro, 0, wxALL, 12);
  top->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
  message_ = add_refusal_line_and_buttons(*this, top);
  name_->SetFocus();
  Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { if (add()) EndModal(wxID_OK); }, wxID_OK);
}

bool FirstUserDialog::submit(const std::string& name, const std::string& role, const std::string& password,
                             const std::string& repeated) {
  name_->SetValue(ui(name));
  for (int i = 0; i < 3; ++i)
    if (role == kRoles[i]) role_->SetSelection(i);
  password_->SetValue(ui(password));
  repeated_->SetValue(ui(repeated));
  return add();
}

bool FirstUserDialog::add() {
  const Words& w = words();
  const std::string name = to_utf8(name_->GetValue()), password = to_utf8(password_->GetValue());
  std::optional<std::string> refused;
  if (name.empty() || name.size() > 64)
    refused = std::string(w("用户名应为 1 到 64 个字符", "the user name must be 1 to 64 characters"));
  else if (password.size() < store::kMinPasswordLength)
    refused = std::string(w("密码至少 8 位", "the password must be at least 8 characters"));
  else if (password != to_utf8(repeated_->GetValue()))
    refused = std::string(w("两次输入的密码不一致", "the two passwords differ"));
  else
    refused = add_user_(name, kRoles[role_->GetSelection()], password);
  return !show_refusal(*this, message_, refused);
}

std::string FirstUserDialog::name() const { return to_utf8(name_->GetValue()); }
wxString FirstUserDialog::message() const { return message_->GetLabel(); }

}  // namespace suqiu::console
