"""Plain dataclasses, enums, errors and text rules shared by every layer. No Textual, no SQL."""
