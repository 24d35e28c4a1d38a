"""Moderation: site decisions, hidden items, reports from visitors, and the audit trail.

- models: ModerationAction (the audit trail), HiddenItem, Report;
- services: every moderation change goes through here, records its action and
  e-mails the owner (or the reporter), so the admin and tests share one path.
"""
