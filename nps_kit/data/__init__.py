"""Reading and writing files: paths and demo data, file reading, survey-tool layouts, key columns, text encodings, the one writer."""
