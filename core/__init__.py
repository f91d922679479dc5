"""The bottom layer: helpers every app may import (encrypted fields, private storage, spreadsheet
safety, background jobs). It imports no app of the project."""
