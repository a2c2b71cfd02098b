#!/usr/bin/perl
# rotate-log.pl FILE MAX_BYTES BACKUPS
#
# Appends its standard input to FILE, rotating by size: once FILE holds MAX_BYTES, the next line
# end closes it; FILE.(N-1) becomes FILE.N, ..., FILE becomes FILE.1 (N = BACKUPS, the oldest is
# dropped; 0 = no backups) and a new FILE starts. Lines stay whole (a JSON log line never spans
# two files) unless one line alone runs MAX_BYTES past the limit. Every chunk is written as it
# arrives, so `tail -F FILE` follows across rotations. It ends when its input ends, i.e. when the
# process whose output it is has exited. ./papertape puts it behind every part's stdout and stderr
# (ops/lib/logs.sh); perl-base is part of every Debian system.
use strict;
use warnings;
use Fcntl qw(O_WRONLY O_APPEND O_CREAT O_NOFOLLOW);

my ($file, $max, $backups) = @ARGV;
die "usage: rotate-log.pl FILE MAX_BYTES BACKUPS\n"
  unless defined $backups && @ARGV == 3 && $max =~ /^[1-9][0-9]{0,17}$/ && $backups =~ /^[0-9]{1,4}$/;

# Hang-ups and interrupts are meant for the process being logged; this one ends with its input.
$SIG{HUP} = 'IGNORE';
$SIG{INT} = 'IGNORE';

my ($fh, $size, $at_line_start);

sub open_log {
  # never through a symbolic link: the log directory may be shared with other processes
  sysopen($fh, $file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0640)
    or die "rotate-log: cannot open $file: $!\n";
  $size          = (stat $fh)[7];
  $at_line_start = 1;
}

sub rotate {
  close $fh;
  if ($backups == 0) {
    unlink $file;
  } else {
    for (my $i = $backups - 1; $i >= 1; $i--) {
      rename "$file.$i", "$file." . ($i + 1) if -e "$file.$i";
    }
    rename $file, "$file.1";
  }
  open_log();
}

# A full disk loses log lines; it never blocks the process being logged.
sub put {
  my ($data) = @_;
  my $off = 0;
  while ($off < length $data) {
    my $n = syswrite $fh, $data, length($data) - $off, $off;
    if (!defined $n) {
      next if $!{EINTR};
      last;
    }
    $off += $n;
  }
  $size += length $data;
  $at_line_start = substr($data, -1) eq "\n";
}

open_log();
my $buf;
while (1) {
  my $n = sysread STDIN, $buf, 65536;
  if (!defined $n) {
    next if $!{EINTR};
    last;
  }
  last if $n == 0;
  # deleted or moved away by hand: start a new file rather than write into the void
  if (!-e $file) {
    close $fh;
    open_log();
  }
  while (length $buf) {
    rotate() if $size >= $max && ($at_line_start || $size >= 2 * $max);
    # write up to the end of the line that reaches the limit (all of it when nothing does)
    my $room = $max - $size;
    my $nl   = length($buf) > $room ? index($buf, "\n", $room > 0 ? $room - 1 : 0) : -1;
    if ($nl >= 0) {
      put(substr $buf, 0, $nl + 1, '');
    } else {
      put($buf);
      $buf = '';
    }
  }
}
close $fh;
