"""E-mail messages: one class per message, each sent at most once per recipient."""
