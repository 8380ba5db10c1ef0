// Package service holds the dubbo-go side of the interop contract: the POJOs (registered under the same Java class
// names as tools/interop/java) and the fixtures both the Go provider and the Go consumer use.
package service

import (
	"strings"

	"dubbo.apache.org/dubbo-go/v3/remoting/getty"
	hessian "github.com/apache/dubbo-go-hessian2"
	"github.com/apache/dubbo-go-hessian2/java_exception"
)

// Interface is the Java interface name of the interop service.
const Interface = "org.apache.dubbo.interop.service.InteropService"

// Address mirrors org.apache.dubbo.interop.service.Address.
type Address struct {
	Street string `hessian:"street"`
	City   string `hessian:"city"`
	Zip    int32  `hessian:"zip"`
}

// JavaClassName is the Java class of Address.
func (Address) JavaClassName() string { return "org.apache.dubbo.interop.service.Address" }

// Person mirrors org.apache.dubbo.interop.service.Person (a POJO with a nested POJO, a list and a map).
type Person struct {
	Name       string            `hessian:"name"`
	Age        int32             `hessian:"age"`
	ID         int64             `hessian:"id"`
	Tags       []string          `hessian:"tags"`
	Attributes map[string]string `hessian:"attributes"`
	Address    *Address          `hessian:"address"`
	Friends    []*Person         `hessian:"friends"`
}

// JavaClassName is the Java class of Person.
func (Person) JavaClassName() string { return "org.apache.dubbo.interop.service.Person" }

// InteropException mirrors org.apache.dubbo.interop.service.InteropException (a checked exception with a code).
type InteropException struct {
	SerialVersionUID     int64
	DetailMessage        string
	SuppressedExceptions []java_exception.Throwabler
	StackTrace           []java_exception.StackTraceElement
	Cause                java_exception.Throwabler
	Code                 int32 `hessian:"code"`
}

// NewInteropException makes the exception throwCustom throws.
func NewInteropException(message string, code int32) *InteropException {
	return &InteropException{DetailMessage: message, Code: code, StackTrace: []java_exception.StackTraceElement{}}
}

// Error is the Java detail message.
func (e InteropException) Error() string { return e.DetailMessage }

// JavaClassName is the Java class of InteropException.
func (InteropException) JavaClassName() string {
	return "org.apache.dubbo.interop.service.InteropException"
}

// GetStackTrace is Java's getStackTrace.
func (e InteropException) GetStackTrace() []java_exception.StackTraceElement { return e.StackTrace }

// MaxPayload is Java Dubbo's default payload limit (8 MiB); dubbo-go's own default is 1,024,000 bytes, too small
// for the 1 MiB string cases.
const MaxPayload = 8 * 1024 * 1024

// Register registers the POJOs with the hessian2 codec and raises dubbo-go's getty message limit to MaxPayload;
// call once before serving or calling.
func Register() {
	cc := *getty.GetDefaultClientConfig()
	cc.GettySessionParam.MaxMsgLen = MaxPayload
	getty.SetClientConf(cc)
	sc := *getty.GetDefaultServerConfig()
	sc.GettySessionParam.MaxMsgLen = MaxPayload
	getty.SetServerConfig(sc)
	hessian.RegisterPOJO(&Address{})
	hessian.RegisterPOJO(&Person{})
	hessian.RegisterPOJO(&InteropException{})
}

// Digits returns "0123456789" repeated and cut to n chars (Fixtures.digits in Java).
func Digits(n int) string {
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + i%10))
	}
	return b.String()
}

// MakePerson is Fixtures.person(name, age) in Java: what makePerson returns.
func MakePerson(name string, age int32) *Person {
	return &Person{
		Name:       name,
		Age:        age,
		ID:         int64(age)*1000 + 7,
		Tags:       []string{"a", "b", name},
		Attributes: map[string]string{"k1": "v1", "name": name},
		Address:    &Address{Street: "1 Main St", City: "Springfield", Zip: 12345},
		Friends: []*Person{{
			Name:       "friend of " + name,
			Age:        age + 1,
			Tags:       []string{},
			Attributes: map[string]string{},
		}},
	}
}
