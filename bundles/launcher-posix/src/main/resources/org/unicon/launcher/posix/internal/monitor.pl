# The init of a container run by Unicon's posix launcher (Mesos's `mesos-containerizer launch`).
#
# Started by Monitor.java as `perl -e <this script> -- <launcher dir>`, with PATH as its only
# environment, the container's working directory, stdin /dev/null and stdout/stderr appended to
# the container's files. Files in <launcher dir> (the contract with Monitor.java):
#   command      written by the launcher: NUL-terminated fields user, shell (1/0), value, argv...
#   environment  written by the launcher: the command's environment, NUL-terminated NAME=VALUE;
#                read once the command may run, then deleted
#   start.fifo   created by the launcher; one byte read from it lets the command run. EOF without
#                a byte means the launcher gave up (destroy, or the agent died before start):
#                exit without running anything and without a status
#   error        written instead of running anything when the container cannot be set up
#                (unknown user, ...), before the monitor opens start.fifo; then exit 1
#   status       the command's raw wait(2) status in decimal, written to status.tmp, fsynced,
#                renamed; a terminating signal that arrives before the command exists is
#                recorded as that signal's status (like Mesos)
# Nothing is written to the container's stdout/stderr except one line when the command cannot be
# executed (its status is then 127 << 8). Only core modules of perl-base are used.
use strict;
use Config ();
use Errno qw(EINTR);
use IO::Handle ();
use POSIX ();

my $dir = $ARGV[0];
$0 = "unicon-posix-monitor $dir";

sub write_file_atomically {
    my ($name, $text) = @_;
    open(my $fh, '>', "$dir/$name.tmp") or return 0;
    (print {$fh} $text) && $fh->flush && $fh->sync && close($fh) or return 0;
    return rename("$dir/$name.tmp", "$dir/$name");
}

# Before the command may run: explain through the error file, leave stdout/stderr untouched.
sub fail_setup {
    write_file_atomically('error', "$_[0]\n");
    POSIX::_exit(1);
}

sub record_status_and_exit {
    write_file_atomically('status', "$_[0]\n") or POSIX::_exit(2);
    POSIX::_exit(0);
}

# After the launcher let the command run: one line on the container's stderr, status 127 << 8.
sub fail_command {
    print STDERR "unicon: $_[0]\n";
    record_status_and_exit(127 << 8);
}

sub read_fields {
    my ($name) = @_;
    open(my $fh, '<', "$dir/$name") or return;
    local $/;
    my $data = <$fh>;
    close($fh);
    my @fields = split(/\0/, $data, -1);
    pop @fields;    # after the last terminator
    return \@fields;
}

defined(POSIX::setsid()) or fail_setup("the container's monitor cannot start a session: $!");

# Every catchable signal except SIGCHLD is forwarded to the command once it exists. glibc keeps
# the signals between 31 and SIGRTMIN for itself.
my %number;
{
    my @names = split(' ', $Config::Config{sig_name});
    my @numbers = split(' ', $Config::Config{sig_num});
    my %seen;
    for my $i (0 .. $#names) {
        my ($name, $num) = ($names[$i], $numbers[$i]);
        next if $num == 0 || $seen{$num}++;
        next if $name =~ /^(KILL|STOP|CHLD|CLD)$/;
        next if $num > 31 && $num < POSIX::SIGRTMIN();
        $number{$name} = $num;
    }
}
my %stops_or_ignored_by_default = map { $_ => 1 } qw(CONT URG WINCH TSTP TTIN TTOU);
my $child = 0;
my $reaped = 0;
sub on_signal {
    my ($name) = @_;
    return if $reaped;
    if ($child) {
        kill($number{$name}, $child);
    } elsif (!$stops_or_ignored_by_default{$name}) {
        record_status_and_exit($number{$name});
    }
}
$SIG{$_} = \&on_signal for keys %number;
POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new());

my $command = read_fields('command') or fail_setup("cannot read $dir/command: $!");
my ($user, $shell, $value, @argv) = @$command;

my ($uid, $gid, @groups);
if ($user ne '') {
    my @entry = getpwnam($user);
    fail_setup("user '$user' does not exist on this host") unless @entry;
    if ($entry[2] != $>) {
        fail_setup("cannot run the command as user '$user': the agent runs as uid $>, and only root can switch users") if $> != 0;
        ($uid, $gid) = @entry[2, 3];
        my %member_of = ($gid => 1);
        setgrent();
        while (my @group = getgrent()) {
            $member_of{$group[2]} = 1 if grep { $_ eq $user } split(' ', $group[3]);
        }
        endgrent();
        @groups = sort { $a <=> $b } keys %member_of;
    }
}

my $fifo;
until (open($fifo, '<', "$dir/start.fifo")) {
    fail_setup("cannot open $dir/start.fifo: $!") unless $! == EINTR;
}
my $got;
until (defined($got = sysread($fifo, my $byte, 1))) {
    fail_setup("cannot read $dir/start.fifo: $!") unless $! == EINTR;
}
close($fifo);
POSIX::_exit(1) if $got == 0;

my $environment = read_fields('environment') or fail_command("cannot read $dir/environment: $!");
unlink("$dir/environment");
my %env = map { split(/=/, $_, 2) } @$environment;

# Signals stay blocked from fork until $child is set, so that none is lost or misdirected.
my $forwarded = POSIX::SigSet->new(values %number);
POSIX::sigprocmask(POSIX::SIG_BLOCK(), $forwarded);
my $pid = fork();
fail_command("cannot fork: $!") unless defined $pid;
if ($pid == 0) {
    $SIG{$_} = 'DEFAULT' for keys %number;
    POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new());
    if (defined $uid) {
        $) = join(' ', $gid, @groups);
        POSIX::setgid($gid);
        POSIX::setuid($uid);
        if ($< != $uid || $> != $uid || $( + 0 != $gid || $) + 0 != $gid) {
            print STDERR "unicon: cannot switch to user '$user' (uid $uid, gid $gid): $!\n";
            POSIX::_exit(127);
        }
    }
    %ENV = %env;
    my $program = $shell ? '/bin/sh' : $value;
    if ($shell) {
        exec { '/bin/sh' } 'sh', '-c', $value;
    } else {
        exec { $value } @argv;
    }
    print STDERR "unicon: cannot execute '$program': $!\n";
    POSIX::_exit(127);
}
$child = $pid;
POSIX::sigprocmask(POSIX::SIG_UNBLOCK(), $forwarded);

my $status;
for (;;) {
    my $result = waitpid($child, 0);
    if ($result == $child) {
        $status = $?;
        last;
    }
    next if $result == -1 && $! == EINTR;
    $status = 9;    # nobody else reaps our child: unreachable, recorded as killed
    last;
}
$reaped = 1;
record_status_and_exit($status);
