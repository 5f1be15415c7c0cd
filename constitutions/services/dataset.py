"""Write a published version as a Hugging Face dataset folder: `README.md` (the dataset card)
and the principles as Parquet, so `datasets.load_dataset(folder)` reads it, offline too."""

from pathlib import Path

import pandas as pd
from django.utils.translation import gettext as _

from constitutions.errors import ConstitutionError
from constitutions.models import ConstitutionVersion
from constitutions.renderers import dataset_card, jsonl
from constitutions.renderers.canonical import stored_document


class ExportRefused(ConstitutionError):
    default_message = _("The dataset folder could not be written.")


def principles_frame(document) -> pd.DataFrame:
    # Nullable integers: a group column of ints and Nones would otherwise become floats.
    return pd.DataFrame(jsonl.rows(document)).astype({"group": "Int64", "group_size": "Int64"})


def export_dataset(*, version: ConstitutionVersion, directory: str | Path) -> list[Path]:
    """Write the folder (which must be empty or absent); return the files written."""
    if not version.is_published:
        raise ExportRefused(_("Only a published version can be exported."))
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ExportRefused(
            _("%(directory)s is not an empty folder; choose a new one.") % {"directory": directory}
        )
    document = stored_document(version)
    data = directory / dataset_card.DATA_FILE
    data.parent.mkdir(parents=True, exist_ok=True)
    principles_frame(document).to_parquet(data, index=False)
    card = directory / "README.md"
    card.write_text(dataset_card.render(document), encoding="utf-8")
    return [card, data]
