// tauri.conf.json and the capabilities live at the repository root. Every command the UI may call
// is listed here: Tauri then generates one permission per command, and capabilities/ grants only
// those the UI uses.
fn main() {
    // tauri-build does not watch a capabilities directory given by pattern: without this a changed
    // permission list would not rebuild the app.
    println!("cargo:rerun-if-changed=../capabilities");
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    let attrs = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .capabilities_path_pattern("../capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(&COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        println!("cargo:warning=tauri build failed: {e:#}");
        std::process::exit(1);
    }
}

const COMMANDS: [&str; 83] = [
    "app_info",
    "list_leads",
    "count_leads",
    "get_lead",
    "create_lead",
    "update_lead",
    "edit_lead_object",
    "delete_lead",
    "restore_lead",
    "lead_timeline",
    "add_activity",
    "status_summary",
    "load_demo_data",
    "demo_leads",
    "delete_leads",
    "restore_leads",
    "export_leads_csv",
    "export_selected_csv",
    "open_link",
    "quit_app",
    "close_window",
    "unfinished_work",
    "saved_views",
    "save_view",
    "delete_view",
    "due_tasks",
    "complete_task",
    "reopen_task",
    "inbound_messages",
    "settle_inbound",
    "lead_lists",
    "create_list",
    "assign_to_list",
    "tag_leads",
    "put_back_leads",
    "duplicate_of",
    "merge_plan",
    "merge_leads",
    "unmerge_leads",
    "set_status",
    "team_members",
    "assign_leads",
    "campaigns",
    "create_campaign",
    "add_to_campaign",
    "remove_from_campaign",
    "email_templates",
    "save_template",
    "draft_email",
    "log_email",
    "log_reply",
    "activity_drafts",
    "keep_activity_draft",
    "delete_template",
    "restore_template",
    "follow_up_done",
    "follow_up_undone",
    "rename_group",
    "delete_group",
    "restore_group",
    "memberships",
    "activities_per_week",
    "pick_import_files",
    "import_preview",
    "run_import",
    "cancel_import",
    "save_import_errors",
    "import_history",
    "import_details",
    "remembered_columns",
    "remember_columns",
    "undo_import",
    "import_worked_on",
    "sync_status",
    "sync_now",
    "sync_settings",
    "save_sync_settings",
    "sign_in",
    "sign_out",
    "conflicts",
    "resolve_conflict",
    "rejections",
    "settle_rejection",
];
