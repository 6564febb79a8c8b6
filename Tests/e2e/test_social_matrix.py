"""Who may change what in social: every object route called by the object's owner, another
user and an admin (docs/social.md), each on objects of its own.

- Categories: writes are admin only (a user gets 403 "Not enough permissions. Admin access required.").
- Playlists: PATCH, add video, batch, remove video and reorder are the owner's only (an admin
  gets 403 too); DELETE is the owner's or an admin's.
- Comments: PATCH by the author only (not the video's owner, not an admin); DELETE by the
  author, the video's owner or an admin.

Every case checks the status and message, then reads the object back: the change happened
exactly when the call succeeded.
"""

from dataclasses import dataclass
from typing import Callable

import pytest

from auth_client import assert_detail
from auth_images import make_image
from social_support import (
    add_video, assert_status, create_category, create_playlist, gateway_session, get_playlist, list_comments,
    new_user, post_comment, ready_videos,
)

ADMIN_ONLY = "Not enough permissions. Admin access required."
MODIFY = "You don't have permission to modify this playlist"
ACCESS = "You don't have permission to access this playlist"
NOT_YOURS = "You can only edit your own comments"
NO_DELETE = "You don't have permission to delete this comment"


@dataclass
class World:
    """The module's users and videos: `alice` owns the playlists and writes the comments,
    `uploader` owns the videos, `bob` is anybody else."""

    gw: object
    admin: object
    alice: object
    bob: object
    uploader: object
    videos: list
    image: bytes

    def user(self, role: str):
        return {"owner": self.alice, "author": self.alice, "video_owner": self.uploader, "other": self.bob,
                "admin": self.admin}[role]


@pytest.fixture(scope="module")
def world(admin, owner, tmp_path_factory):
    with gateway_session() as gw:
        image = make_image(tmp_path_factory.mktemp("images"), "pic.png", "64x64")
        yield World(gw, admin, new_user(), new_user(), owner, ready_videos(gw, owner, 2, title="Matrix"), image)


@dataclass
class Route:
    """One object route: `setup` makes a fresh object, `call` calls the route as a user,
    `applied` tells from a read-back whether the call took effect."""

    setup: Callable
    call: Callable
    applied: Callable


# --- categories ------------------------------------------------------------------------------


def category(w: World, image: bool = False) -> dict:
    made = create_category(w.gw, w.admin, description="original")
    if image:
        upload_image(w, made, w.admin)
    return made


def read_category(w: World, made: dict):
    response = w.gw.get(f"/api/categories/{made['id']}", token=w.admin.access_token)
    return response.json() if response.status_code == 200 else None


def upload_image(w: World, made: dict, user):
    response = w.gw.post(f"/api/categories/{made['id']}/image", token=user.access_token,
                         files={"file": ("pic.png", w.image, "image/png")})
    if user is w.admin:
        assert_status(response, 200)
    return response


CATEGORY_ROUTES = {
    "category PATCH": Route(
        category,
        lambda w, c, u: w.gw.patch(f"/api/categories/{c['id']}", json={"description": "changed"}, token=u.access_token),
        lambda w, c: read_category(w, c)["description"] == "changed"),
    "category DELETE": Route(
        category,
        lambda w, c, u: w.gw.delete(f"/api/categories/{c['id']}", token=u.access_token),
        lambda w, c: read_category(w, c) is None),
    "category image POST": Route(
        category,
        upload_image,
        lambda w, c: read_category(w, c)["image_filename"] is not None),
    "category image DELETE": Route(
        lambda w: category(w, image=True),
        lambda w, c, u: w.gw.delete(f"/api/categories/{c['id']}/image", token=u.access_token),
        lambda w, c: read_category(w, c)["image_filename"] is None),
}


# --- playlists -----------------------------------------------------------------------------------


def playlist(w: World, filled: bool = False) -> dict:
    made = create_playlist(w.gw, w.alice, name="original")
    for video in w.videos if filled else []:
        add_video(w.gw, w.alice, made, video)
    return made


def read_playlist(w: World, made: dict):
    response = w.gw.get(f"/api/playlists/{made['short_id']}", token=w.alice.access_token)
    return response.json() if response.status_code == 200 else None


def order(w: World, made: dict) -> list:
    return [entry["video_id"] for entry in get_playlist(w.gw, w.alice, made)["videos"]]


def v(w: World, index: int) -> str:
    return w.videos[index]["id"]


PLAYLIST_ROUTES = {
    "playlist PATCH": Route(
        playlist,
        lambda w, p, u: w.gw.patch(f"/api/playlists/{p['short_id']}", json={"name": "renamed"}, token=u.access_token),
        lambda w, p: read_playlist(w, p)["name"] == "renamed"),
    "playlist DELETE": Route(
        playlist,
        lambda w, p, u: w.gw.delete(f"/api/playlists/{p['short_id']}", token=u.access_token),
        lambda w, p: read_playlist(w, p) is None),
    "playlist add video": Route(
        playlist,
        lambda w, p, u: w.gw.post(f"/api/playlists/{p['short_id']}/videos", json={"video_id": v(w, 0)},
                                  token=u.access_token),
        lambda w, p: order(w, p) == [v(w, 0)]),
    "playlist batch": Route(
        playlist,
        lambda w, p, u: w.gw.post(f"/api/playlists/{p['short_id']}/videos/batch",
                                  json={"video_ids": [v(w, 1), v(w, 0)]}, token=u.access_token),
        lambda w, p: order(w, p) == [v(w, 1), v(w, 0)]),
    "playlist remove video": Route(
        lambda w: playlist(w, filled=True),
        lambda w, p, u: w.gw.delete(f"/api/playlists/{p['short_id']}/videos/{v(w, 0)}", token=u.access_token),
        lambda w, p: order(w, p) == [v(w, 1)]),
    "playlist reorder": Route(
        lambda w: playlist(w, filled=True),
        lambda w, p, u: w.gw.patch(f"/api/playlists/{p['short_id']}/reorder", token=u.access_token, json={
            "video_positions": [{"video_id": v(w, 1), "position": 0}, {"video_id": v(w, 0), "position": 1}]}),
        lambda w, p: order(w, p) == [v(w, 1), v(w, 0)]),
}


# --- comments -----------------------------------------------------------------------------------


def comment(w: World) -> dict:
    return post_comment(w.gw, w.alice, w.videos[0], "original")


def read_comment(w: World, made: dict):
    found = [c for c in list_comments(w.gw, w.alice, w.videos[0], limit=100)["comments"] if c["id"] == made["id"]]
    return found[0] if found else None


COMMENT_ROUTES = {
    "comment PATCH": Route(
        comment,
        lambda w, c, u: w.gw.patch(f"/api/comments/{c['id']}", json={"content": "changed"}, token=u.access_token),
        lambda w, c: read_comment(w, c)["content"] == "changed"),
    "comment DELETE": Route(
        comment,
        lambda w, c, u: w.gw.delete(f"/api/comments/{c['id']}", token=u.access_token),
        lambda w, c: read_comment(w, c) is None),
}

ROUTES = {**CATEGORY_ROUTES, **PLAYLIST_ROUTES, **COMMENT_ROUTES}

# (route, caller, status, detail of the refusal)
CASES = [
    *[(name, "other", 403, ADMIN_ONLY) for name in CATEGORY_ROUTES],
    ("category PATCH", "admin", 200, None),
    ("category DELETE", "admin", 204, None),
    ("category image POST", "admin", 200, None),
    ("category image DELETE", "admin", 204, None),

    ("playlist PATCH", "owner", 200, None),
    ("playlist PATCH", "other", 403, MODIFY),
    ("playlist PATCH", "admin", 403, MODIFY),
    ("playlist DELETE", "owner", 204, None),
    ("playlist DELETE", "other", 403, ACCESS),
    ("playlist DELETE", "admin", 204, None),
    *[(name, caller, status, detail)
      for name in ("playlist add video", "playlist batch", "playlist remove video", "playlist reorder")
      for caller, status, detail in (
          ("owner", 204 if name == "playlist remove video" else 200, None),
          ("other", 403, MODIFY),
          ("admin", 403, MODIFY))],

    ("comment PATCH", "author", 200, None),
    ("comment PATCH", "video_owner", 403, NOT_YOURS),
    ("comment PATCH", "other", 403, NOT_YOURS),
    ("comment PATCH", "admin", 403, NOT_YOURS),
    ("comment DELETE", "author", 204, None),
    ("comment DELETE", "video_owner", 204, None),
    ("comment DELETE", "other", 403, NO_DELETE),
    ("comment DELETE", "admin", 204, None),
]


@pytest.mark.parametrize("route, caller, status, detail", CASES,
                         ids=[f"{route.replace(' ', '_')}-by-{caller}" for route, caller, _, _ in CASES])
def test_who_may_change_what(world, route, caller, status, detail):
    """The caller gets `status` (with `detail` when refused); the object changed only on success."""
    spec = ROUTES[route]
    target = spec.setup(world)
    response = spec.call(world, target, world.user(caller))
    if detail:
        assert_detail(response, status, detail)
    else:
        assert_status(response, status)
    succeeded = status < 300
    assert spec.applied(world, target) == succeeded, \
        f"{route} by {caller}: the object {'did not change' if succeeded else 'changed'} after {status}"
