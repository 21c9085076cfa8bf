-- My day's count and its task list read the open tasks due by tonight after every edit: without
-- an index of them, each read scanned every activity (calls, notes, emails of a million leads).
-- Partial: only open tasks, the few My day is about.
CREATE INDEX activities_open_tasks ON activities (scheduled_at) WHERE type = 'task' AND completed_at IS NULL AND deleted_at IS NULL;
