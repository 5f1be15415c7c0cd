from deliberation.models import new_public_id


def test_conversation_public_ids_are_letters_and_digits_only():
    ids = {new_public_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(public_id.isalnum() and len(public_id) == 11 for public_id in ids)
