"""The pages' forms, split by concern: the application form, the reviewer's desk, pools."""
