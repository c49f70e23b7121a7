"""延长县 plugin for vetservice: a township 考核 sheet and a local sensitive period."""
