"""Permissions of the year archive (issue 10 item 3; R-K04, R-K05).

Seed 004 (admin §1.1 п.22) makes exporting and archiving the study data the administrator's duty; seed 002 §2.1
puts building and downloading the year's archives on the administrators and the school's administration. So the
admin and the director build the archive; the deputy, who reads every journal of the school (R-A03) and hands its
paper copies to the archive (seed 004 deputy §10), sees the archives and downloads them but does not start a build
(a heavy job over the whole school). Teachers, pupils and parents do neither: an archive is every family's data."""

import rules

from accounts.predicates import is_admin, is_director, is_school_member, is_school_reader

rules.add_perm("audit.view_archive", is_school_member & is_school_reader)
rules.add_perm("audit.download_archive", is_school_member & is_school_reader)
rules.add_perm("audit.build_archive", is_school_member & (is_admin | is_director))
