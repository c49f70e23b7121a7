"""Domain: the record kinds of the records contract, their values and rules."""

from vetservice.domain import enums
from vetservice.domain.enums import Level, UnitKind
from vetservice.domain.identity import mask_id_number, mask_phone
from vetservice.domain.labels import LabelledEnum
from vetservice.domain.records import (
    ENVIRONMENT_ELEMENTS,
    KINDS,
    Field,
    FieldError,
    RecordKind,
    Reference,
    kind,
)

__all__ = [
    "ENVIRONMENT_ELEMENTS",
    "KINDS",
    "Field",
    "FieldError",
    "LabelledEnum",
    "Level",
    "RecordKind",
    "Reference",
    "UnitKind",
    "enums",
    "kind",
    "mask_id_number",
    "mask_phone",
]
