"""The data layer: where data comes in, how it is checked, and how it is kept.

    reader.py     bounded reading: regular files, size limits, YAML without aliases
    schema.py     what a valid file holds (one spec per kind of record)
    loader.py     YAML -> checked records, part by part, with file:line for every problem
      common.py, contacts.py, authority.py   the builders, by what they build
    store.py      built authorities, one per store, in MessagePack; the index; load()
    validate.py   `triage validate`

Text enters through the reader, is checked once by the loader, and is kept in a format that
cannot run code. The packaged YAML is in tree/, and what the wheel's build hook built from it
in built/.
"""
