"""The conference conclusion notice, rendered by the CLI from assignment's ``conclusion`` reply."""
