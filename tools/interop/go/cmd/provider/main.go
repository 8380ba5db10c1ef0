// Command provider serves the dubbo-go subset of InteropService on the dubbo protocol (hessian2), without a registry
// unless one is given.
//
//	provider [PORT] [REGISTRY [GROUP]]   prints "READY <port>" when serving (and registered), runs until killed.
//	  PORT      0 or absent: a free loopback port
//	  REGISTRY  e.g. zookeeper://127.0.0.1:2181[?group=ROOT] (ROOT: the ZooKeeper root, default dubbo): registers
//	            InteropService there at interface level, as dubbo://127.0.0.1:PORT/org.apache.dubbo.interop.service.InteropService?...&group=GROUP
//	  GROUP     service group (isolates a test's providers in a shared registry); default none
package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf16"

	"dubbo.apache.org/dubbo-go/v3"
	_ "dubbo.apache.org/dubbo-go/v3/imports"
	"dubbo.apache.org/dubbo-go/v3/protocol"
	"dubbo.apache.org/dubbo-go/v3/registry"
	"dubbo.apache.org/dubbo-go/v3/server"
	"github.com/apache/dubbo-go-hessian2/java_exception"

	"github.com/dubbo-ts/dubbo-ts/tools/interop/go/service"
)

// InteropProvider implements the subset; dubbo-go also answers each method under its lower-case-first name
// (EchoString <-> echoString), which is the name Java and TS call. Every method but Hits and ResetHits counts its
// call in hits as it starts (a call that sleeps or throws counts too), as the Java provider does.
type InteropProvider struct{ hits atomic.Int64 }

func (p *InteropProvider) EchoBool(_ context.Context, v bool) (bool, error)   { p.hit(); return v, nil }
func (p *InteropProvider) EchoInt(_ context.Context, v int32) (int32, error)  { p.hit(); return v, nil }
func (p *InteropProvider) EchoLong(_ context.Context, v int64) (int64, error) { p.hit(); return v, nil }
func (p *InteropProvider) EchoDouble(_ context.Context, v float64) (float64, error) {
	p.hit()
	return v, nil
}
func (p *InteropProvider) EchoString(_ context.Context, v string) (string, error) {
	p.hit()
	return v, nil
}
func (p *InteropProvider) Echo(_ context.Context, v string) (string, error) { p.hit(); return v, nil }
func (p *InteropProvider) StringLength(_ context.Context, v string) (int32, error) {
	p.hit()
	return int32(len(utf16.Encode([]rune(v)))), nil
}
func (p *InteropProvider) EchoPerson(_ context.Context, v *service.Person) (*service.Person, error) {
	p.hit()
	return v, nil
}
func (p *InteropProvider) EchoMap(_ context.Context, v map[any]any) (map[any]any, error) {
	p.hit()
	return v, nil
}

// EchoList and EchoStringArray return what they are given (list- and array-returning methods, for the mergeable
// cluster's list and array mergers). EchoList takes `any`: dubbo-go hands a method whose only parameter is
// `[]any` the whole argument array instead of its first argument.
func (p *InteropProvider) EchoList(_ context.Context, v any) (any, error) {
	p.hit()
	return v, nil
}
func (p *InteropProvider) EchoStringArray(_ context.Context, v []string) ([]string, error) {
	p.hit()
	return v, nil
}
func (p *InteropProvider) MakePerson(_ context.Context, name string, age int32) (*service.Person, error) {
	p.hit()
	return service.MakePerson(name, age), nil
}
func (p *InteropProvider) ThrowIllegalArgument(_ context.Context, message string) (string, error) {
	p.hit()
	return "", java_exception.NewIllegalArgumentException(message)
}
func (p *InteropProvider) ThrowCustom(_ context.Context, message string, code int32) (string, error) {
	p.hit()
	return "", service.NewInteropException(message, code)
}
func (p *InteropProvider) Sleep(_ context.Context, millis int64) (int64, error) {
	p.hit()
	time.Sleep(time.Duration(millis) * time.Millisecond)
	return millis, nil
}

// Hits is the number of calls of the other methods since start or ResetHits (Java's long hits()).
func (p *InteropProvider) Hits(_ context.Context) (int64, error) { return p.hits.Load(), nil }

// ResetHits sets Hits to 0 and returns the count it had (Java's long resetHits()).
func (p *InteropProvider) ResetHits(_ context.Context) (int64, error) { return p.hits.Swap(0), nil }

func (p *InteropProvider) hit() { p.hits.Add(1) }

// freePort returns a free loopback port.
func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

// newServer makes the server: without a registry it binds all interfaces (dubbo-go also exports its MetadataService
// on this port without a host, and a second listener on 127.0.0.1:PORT would then fail with "address already in
// use"; callers use 127.0.0.1). With a registry the protocol gets host 127.0.0.1, which is what the registered URL
// carries (dubbo-go's ZooKeeper registry writes the protocol's host, else the machine's own address), and the
// MetadataService gets a port of its own. dubbo-go v3.3.2 registers `weight=0` unless the provider's weight is set
// (`Provider.Weight` defaults to 0), and Java's and dubbo-ts's weighted random never pick a weight-0 provider next to
// weighted ones; the provider therefore registers Java's default weight, 100.
func newServer(port int, registryAddress string) (*server.Server, error) {
	if registryAddress == "" {
		return server.NewServer(
			server.WithServerProtocol(
				protocol.WithDubbo(),
				protocol.WithPort(port),
			),
			server.WithServerSerialization("hessian2"),
		)
	}
	// `?group=ROOT` on the registry address: the ZooKeeper root (Java's registry `group`), default /dubbo.
	regOpts := []registry.Option{registry.WithRegisterInterface(), registry.WithoutUseAsConfigCenter()}
	if i := strings.Index(registryAddress, "?"); i >= 0 {
		q, err := url.ParseQuery(registryAddress[i+1:])
		if err != nil {
			return nil, err
		}
		registryAddress = registryAddress[:i]
		if g := q.Get("group"); g != "" {
			regOpts = append(regOpts, registry.WithGroup(g))
		}
	}
	ins, err := dubbo.NewInstance(
		dubbo.WithName("dubbo-ts-interop-go-provider"),
		dubbo.WithMetadataServicePort(freePort()),
		dubbo.WithRegistry(append([]registry.Option{registry.WithAddress(registryAddress)}, regOpts...)...),
		dubbo.WithProtocol(
			protocol.WithDubbo(),
			protocol.WithIp(registeredIP()),
			protocol.WithPort(port),
		),
	)
	if err != nil {
		return nil, err
	}
	return ins.NewServer(
		server.WithServerSerialization("hessian2"),
		func(o *server.ServerOptions) { o.Provider.Weight = 100 },
	)
}

// registeredIP is the host the provider binds and registers: 127.0.0.1, or DUBBO_IP_TO_REGISTRY (as Java's
// interop.sh sets it; an IPv6 literal such as ::ffff:127.0.0.1 in brackets), which a Java consumer connects to as
// is: Java rewrites a 127.x host it is given into the machine's own address (NetUtils.filterLocalHost).
func registeredIP() string {
	ip := os.Getenv("DUBBO_IP_TO_REGISTRY")
	if ip == "" {
		return "127.0.0.1"
	}
	if strings.Contains(ip, ":") && !strings.HasPrefix(ip, "[") {
		return "[" + ip + "]"
	}
	return ip
}

func main() {
	port := 0
	if len(os.Args) > 1 {
		p, err := strconv.Atoi(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "usage: provider [PORT] [REGISTRY [GROUP]]")
			os.Exit(2)
		}
		port = p
	}
	if port == 0 {
		port = freePort()
	}
	registryAddress, group := "", ""
	if len(os.Args) > 2 {
		registryAddress = os.Args[2]
	}
	if len(os.Args) > 3 {
		group = os.Args[3]
	}
	service.Register()
	srv, err := newServer(port, registryAddress)
	if err != nil {
		panic(err)
	}
	svcOpts := []server.ServiceOption{server.WithInterface(service.Interface)}
	if group != "" {
		svcOpts = append(svcOpts, server.WithGroup(group))
	}
	if err := srv.Register(&InteropProvider{}, nil, svcOpts...); err != nil {
		panic(err)
	}
	go func() {
		// Serve blocks (and exports, and registers, before listening); report READY once the port accepts
		// connections.
		for i := 0; i < 600; i++ {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 100*time.Millisecond)
			if err == nil {
				_ = c.Close()
				fmt.Printf("READY %d\n", port)
				_ = os.Stdout.Sync()
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		fmt.Fprintln(os.Stderr, "provider did not start listening")
		os.Exit(1)
	}()
	if err := srv.Serve(); err != nil {
		panic(err)
	}
}
